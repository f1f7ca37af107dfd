package org.rsafe.eval;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.zip.ZipException;
import org.rsafe.util.SourcePos;

/**
 * Decodes a data file's bytes and refuses bytes that are not valid in its charset, naming the line and column where
 * they stand. A replacing decoder would turn Latin-1 {@code café} into {@code caf} and a U+FFFD replacement character,
 * and the changed text would be judged without a word; lint already refuses such policy files, and datasets are
 * refused the same way.
 *
 * <p>Lines end at LF (a lone CR is data, as the readers above treat it); columns count characters, starting at 1.
 * The characters decoded before a bad byte are still delivered, so the records before it read as usual; the next read
 * throws {@link InvalidText}.
 */
final class StrictTextReader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private final CharBuffer chars = CharBuffer.allocate(1 << 16);
    private boolean endOfBytes;
    private boolean flushed;
    private int line = 1;
    private int column = 1;
    private InvalidText failure;

    /**
     * Bytes that are not text in the file's charset ({@code encoding}), or compressed data that is cut off or broken
     * ({@code gzip}), at the line and column of the text reached when the problem was met.
     */
    static final class InvalidText extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient SourcePos pos;
        private final String rule;

        InvalidText(SourcePos pos, String rule, String message) {
            super(message);
            this.pos = pos;
            this.rule = rule;
        }

        SourcePos pos() {
            return pos;
        }

        String rule() {
            return rule;
        }
    }

    /** The gzip stream is broken or ends early; EOFException says only "null" or "Unexpected end of ZLIB input stream". */
    static InvalidText brokenGzip(SourcePos pos, IOException cause) {
        String detail = cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        InvalidText e = new InvalidText(pos, "gzip", "the gzip data is cut off or broken here" + detail
                + "; the file was not fully written or copied, or it is not gzip although it starts like gzip");
        e.initCause(cause);
        return e;
    }

    StrictTextReader(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
        chars.flip();
    }

    @Override
    public int read(char[] target, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (failure != null) {
                throw failure;
            }
            if (!decodeMore() && failure == null) {
                return -1;
            }
        }
        int n = Math.min(len, chars.remaining());
        chars.get(target, off, n);
        return n;
    }

    /** Decodes the next characters into {@link #chars}; false at the end of the bytes. */
    private boolean decodeMore() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (flushed) {
                    return false;
                }
                CoderResult result = decoder.decode(bytes, chars, endOfBytes);
                if (result.isError()) {
                    count(chars.position());
                    failure = invalid(result);
                    return chars.position() > 0;
                }
                if (result.isOverflow()) {
                    break;
                }
                if (endOfBytes) {
                    decoder.flush(chars);
                    flushed = true;
                    break;
                }
                bytes.compact();
                int n;
                try {
                    n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                } catch (EOFException | ZipException e) {
                    // Only a gzip stream throws these: plain files end with -1.
                    count(chars.position());
                    failure = brokenGzip(new SourcePos(line, column), e);
                    bytes.flip();
                    return chars.position() > 0;
                } catch (TextInput.InflatedTooLarge e) {
                    count(chars.position());
                    failure = new InvalidText(new SourcePos(line, column), "gzip-size", e.getMessage());
                    failure.initCause(e);
                    bytes.flip();
                    return chars.position() > 0;
                }
                if (n < 0) {
                    endOfBytes = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            count(chars.position());
            return chars.position() > 0;
        } finally {
            chars.flip();
        }
    }

    /** Advances the line and column over the first {@code to} characters just decoded. */
    private void count(int to) {
        for (int i = 0; i < to; i++) {
            char c = chars.get(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
    }

    private InvalidText invalid(CoderResult result) {
        int n = Math.min(result.length(), bytes.remaining());
        String shown = org.rsafe.util.StrictUtf8.hex(bytes.array(), bytes.position(), n);
        String charset = decoder.charset().name();
        String what = n == 0 ? "the file ends inside a character" : "byte " + shown + " is not " + charset + " text";
        return new InvalidText(new SourcePos(line, column), "encoding", "invalid " + charset + ": " + what
                + "; the file may be in another encoding (such as Latin-1 or Windows-1252): save it as " + charset);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
