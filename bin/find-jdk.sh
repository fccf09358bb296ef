# Sourced by ./imgsearch, ./mvnw and .ci/run: sets JAVA_HOME to a JDK >= 21, or explains what is missing.
# Order: $JAVA_HOME, the java on PATH, then the usual install folders.
imgsearch_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = //p' | head -n1 | cut -d. -f1
}
imgsearch_find_jdk() {
  local candidates=() dir major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for dir in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(imgsearch_java_major "$dir")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$dir"
      return 0
    fi
  done
  echo "imgsearch needs a JDK 21 or newer (java and javac), and none was found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
  echo "Install one (for example: apt-get install openjdk-21-jdk, or Temurin 21+), or set JAVA_HOME to it." >&2
  return 1
}
