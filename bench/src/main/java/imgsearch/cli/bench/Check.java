package imgsearch.cli.bench;

/**
 * One verdict of a reliability harness: what was checked, whether it held, and what was seen.
 *
 * @param name short stable name, e.g. {@code index-opens}
 * @param passed whether the property held
 * @param detail what was seen (a count, the first counter-example)
 */
public record Check(String name, boolean passed, String detail) {

  public static Check pass(String name, String detail) {
    return new Check(name, true, detail);
  }

  public static Check fail(String name, String detail) {
    return new Check(name, false, detail);
  }

  public static Check of(String name, boolean passed, String detail) {
    return new Check(name, passed, detail);
  }

  /** {@code name ok (detail)} or {@code name FAILED (detail)}, for one-line reports. */
  @Override
  public String toString() {
    return name + (passed ? " ok" : " FAILED") + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
