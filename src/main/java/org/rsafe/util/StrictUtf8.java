package org.rsafe.util;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Decodes UTF-8 refusing bytes that are not UTF-8, with the line and column where the first bad byte stands (lines
 * end at LF; columns count characters from 1). A replacing decoder would change the text silently.
 */
public final class StrictUtf8 {
    private StrictUtf8() { }

    /**
     * The text of {@code bytes}.
     *
     * @param fileName names the file in the error
     * @throws UserException with one {@code encoding} diagnostic at the first bad byte
     */
    public static String decode(String fileName, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, (long) bytes.length + 1));
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError() || result.isUnderflow() && in.hasRemaining()) {
            out.flip();
            SourcePos pos = positionAfter(out);
            String what = result.isError() ? "byte " + hex(bytes, in.position(), result.length()) + " is not UTF-8 text"
                    : "the file ends inside a character";
            throw new UserException(List.of(Diagnostic.error(fileName, pos, "encoding", "invalid UTF-8: " + what
                    + "; the file may be in another encoding (such as Latin-1 or Windows-1252): save it as UTF-8")));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    /** The position just after the given text: where the next character would stand. */
    static SourcePos positionAfter(CharSequence text) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new SourcePos(line, column);
    }

    /** The bytes at {@code from} as {@code 0xC3 0x28}. */
    public static String hex(byte[] bytes, int from, int count) {
        StringBuilder shown = new StringBuilder();
        int n = Math.min(count, bytes.length - from);
        for (int i = 0; i < n; i++) {
            shown.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[from + i] & 0xff));
        }
        return shown.toString();
    }
}
