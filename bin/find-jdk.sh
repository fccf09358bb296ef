# Sourced by ./imgsearch, ./mvnw and .ci/run: sets JAVA_HOME to a JDK >= 22, or explains what is missing.
# Order: $JAVA_HOME, the java on PATH, then the usual install folders.
# 22 because the JPEG decoder calls libjpeg-turbo through the Foreign Function & Memory API, final in Java 22.
IMGSEARCH_MIN_JAVA=22
imgsearch_java_major() {
  # A JDK's release file says its version without starting a JVM (which takes a few hundred ms).
  local v
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n1)
    [ "$v" = 1 ] && v=8
    [ -n "$v" ] && { echo "$v"; return; }
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = //p' | head -n1 | cut -d. -f1
}
imgsearch_find_jdk() {
  local candidates=() dir major real too_old=() seen=" "
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for dir in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    real=$(readlink -f "$dir")
    case "$seen" in *" $real "*) continue ;; esac
    seen="$seen$real "
    major=$(imgsearch_java_major "$dir")
    if [ -n "$major" ] && [ "$major" -ge "$IMGSEARCH_MIN_JAVA" ] 2>/dev/null; then
      export JAVA_HOME="$dir"
      return 0
    fi
    [ -n "$major" ] && too_old+=("JDK $major at $dir")
  done
  echo "imgsearch needs a JDK $IMGSEARCH_MIN_JAVA or newer (java and javac), and none was found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
  if [ ${#too_old[@]} -gt 0 ]; then
    echo "Found only older ones: $(printf '%s; ' "${too_old[@]}" | sed 's/; $//')." >&2
  fi
  echo "Install a JDK $IMGSEARCH_MIN_JAVA+ (for example Temurin 25 from https://adoptium.net, or your distribution's openjdk-25-jdk), or set JAVA_HOME to one." >&2
  return 1
}
