#!/usr/bin/env bash
# Builds a self-contained RSafe Workbench with jpackage: an app image (a folder with its own Java runtime)
# and, where dpkg-deb and fakeroot exist, a .deb installer.
#   packaging/build-app-image.sh              app image + .deb when possible
#   packaging/build-app-image.sh --image-only app image only
# Output: target/jpackage/rsafe-workbench/ (run bin/rsafe-workbench) and target/jpackage/*.deb
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image_only=false
[[ "${1:-}" == "--image-only" ]] && image_only=true

command -v jpackage >/dev/null || { echo "build-app-image: jpackage not found (it comes with JDK 17+)" >&2; exit 2; }
# The project version (the first <version> of pom.xml), without -SNAPSHOT: jpackage wants plain numbers.
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -1)"
version="${version%-SNAPSHOT}"

echo "build-app-image: building the jar..." >&2
(cd "$here" && mvn -B -q -Dmaven.test.skip=true package >&2)
touch "$here/target/lib/.complete"

# jpackage puts every jar of its input folder on the class path, so the input is the jar, its libraries
# (flat), and the shipped policies and sample inputs the workbench opens on first start.
input="$here/target/jpackage-input"
dest="$here/target/jpackage"
rm -rf "$input" "$dest"
mkdir -p "$input" "$dest"
cp "$here/target/rsafe-workbench.jar" "$input/"
cp "$here"/target/lib/*.jar "$input/"
cp -r "$here/policies" "$input/policies"
# MIT notices of java-llama.cpp and llama.cpp (the GGUF engine); also inside the jar's META-INF.
cp "$here/packaging/THIRD-PARTY-NOTICES.txt" "$input/"
[[ -d "$here/sample-inputs" ]] && cp -r "$here/sample-inputs" "$input/sample-inputs"

# Same JVM options as app/rsafe-workbench; $APPDIR is the image's app folder, where the policies now live.
java_options=(
  --java-options "-Xmx4g"
  --java-options "-Dai.djl.offline=true"
  --java-options "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
  --java-options "-Dprism.lcdtext=false"
  --java-options "-Drsafe.appDir=\$APPDIR"
)
common=(
  --name rsafe-workbench
  --app-version "$version"
  --vendor "RSafe Workbench"
  --description "Write safety policies, judge prompts with a reasoning guard, and measure it on labelled data."
  --input "$input"
  --main-jar rsafe-workbench.jar
  --main-class org.rsafe.ui.WorkbenchLauncher
  --icon "$here/packaging/rsafe-workbench.png"
  # jpackage strips bin/java by default; the GGUF engine starts its llama.cpp child with the image's own java.
  --jlink-options "--strip-debug --no-man-pages --no-header-files"
  "${java_options[@]}"
)

echo "build-app-image: jpackage app image..." >&2
jpackage --type app-image --dest "$dest" "${common[@]}"
echo "build-app-image: app image in $dest/rsafe-workbench (start it with $dest/rsafe-workbench/bin/rsafe-workbench)" >&2

if [[ "$image_only" == false ]]; then
  if command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
    echo "build-app-image: jpackage .deb..." >&2
    jpackage --type deb --dest "$dest" "${common[@]}" \
      --linux-shortcut --linux-menu-group "Development" --linux-app-category devel
    ls "$dest"/*.deb >&2
  else
    echo "build-app-image: dpkg-deb/fakeroot not found; skipping the .deb (the app image is complete)" >&2
  fi
fi
