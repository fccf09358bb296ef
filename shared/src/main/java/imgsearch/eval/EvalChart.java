package imgsearch.eval;

import imgsearch.eval.EvalReport.MethodResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the precision-at-k curves of an {@link EvalReport}, one line per method, as SVG (standalone or
 * inside a self-contained HTML page with the tables) and as PNG. Both come from one drawing routine, so
 * they show the same chart; neither needs JavaScript, fonts or other files.
 */
public final class EvalChart {

  private static final int WIDTH = 860;
  private static final int LEFT = 64;
  private static final int TOP = 44;
  private static final int PLOT_WIDTH = 500;
  private static final int PLOT_HEIGHT = 340;
  private static final int LEGEND_X = LEFT + PLOT_WIDTH + 24;
  private static final int LEGEND_LINE = 20;
  private static final int FONT_SIZE = 12;
  /** Tableau 10: distinct colours that survive greyscale printing reasonably; lines after the tenth are dashed. */
  private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

  private EvalChart() {}

  /** The chart as an SVG element, for inlining in a page. */
  public static String svg(EvalReport report) {
    SvgCanvas canvas = new SvgCanvas(WIDTH, height(report));
    draw(report, canvas);
    return canvas.finish();
  }

  /** The chart as an image. */
  public static BufferedImage image(EvalReport report) {
    BufferedImage image = new BufferedImage(WIDTH, height(report), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      draw(report, new Java2dCanvas(g));
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Writes the chart as a PNG file. */
  public static void writePng(EvalReport report, Path file) throws IOException {
    if (!ImageIO.write(image(report), "png", file.toFile())) {
      throw new IOException("no PNG writer available in this Java runtime");
    }
  }

  /** A self-contained HTML page: summary, chart and the overall and per-class tables. */
  public static String html(EvalReport report) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>imgsearch evaluation</title>\n<style>\n")
        .append("body { font-family: DejaVu Sans, Arial, sans-serif; margin: 2em; color: #222; }\n")
        .append("table { border-collapse: collapse; margin-bottom: 2em; }\n")
        .append("th, td { padding: 0.25em 0.75em; border-bottom: 1px solid #ddd; text-align: right; }\n")
        .append("th.text, td.text { text-align: left; }\n</style>\n</head>\n<body>\n")
        .append("<h1>Retrieval evaluation</h1>\n<p>")
        .append(report.queries()).append(" test images as queries against ")
        .append(report.databaseImages()).append(" train images; relevant = same class; ")
        .append(report.classes().size()).append(" classes; ")
        .append(report.methods().size()).append(" descriptor x metric combinations; exact ranking of the whole ")
        .append("train set. ")
        .append(report.skippedQueries() > 0
            ? report.skippedQueries() + " test images were skipped (their class has no train images). " : "")
        .append("Run ").append(escape(report.createdAt())).append(", took ")
        .append(String.format(Locale.ROOT, "%.1f", report.tookMs() / 1000.0)).append(" s.</p>\n")
        .append(svg(report)).append('\n')
        .append("<h2>All classes</h2>\n");
    appendTable(h, report.tableRows(), 1);
    h.append("<h2>Per class</h2>\n");
    appendTable(h, report.classTableRows(), 2);
    return h.append("</body>\n</html>\n").toString();
  }

  /** Writes {@link #html} to a file. */
  public static void writeHtml(EvalReport report, Path file) throws IOException {
    Files.writeString(file, html(report), StandardCharsets.UTF_8);
  }

  private static void appendTable(StringBuilder h, List<List<String>> rows, int textColumns) {
    h.append("<table>\n");
    for (int r = 0; r < rows.size(); r++) {
      String cell = r == 0 ? "th" : "td";
      h.append("<tr>");
      List<String> row = rows.get(r);
      for (int c = 0; c < row.size(); c++) {
        h.append('<').append(cell).append(c < textColumns ? " class=\"text\">" : ">")
            .append(escape(row.get(c))).append("</").append(cell).append('>');
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static int height(EvalReport report) {
    return Math.max(TOP + PLOT_HEIGHT + 60, TOP + LEGEND_LINE * (report.methods().size() + 1));
  }

  /** The one drawing routine behind both outputs. */
  private static void draw(EvalReport report, Canvas c) {
    int depth = report.parameters().curveDepth();
    c.text(LEFT + PLOT_WIDTH / 2.0, TOP - 18, "Precision at k (mean over test queries)", Anchor.MIDDLE, false);
    for (int i = 0; i <= 5; i++) {
      double p = i / 5.0;
      c.line(LEFT, y(p), LEFT + PLOT_WIDTH, y(p), i == 0 ? Color.GRAY : new Color(0xdddddd), 1, false);
      c.text(LEFT - 8, y(p) + 4, String.format(Locale.ROOT, "%.1f", p), Anchor.END, false);
    }
    c.line(LEFT, TOP, LEFT, TOP + PLOT_HEIGHT, Color.GRAY, 1, false);
    for (int k = 1; k <= depth; k++) {
      if (k == 1 || k % 5 == 0) {
        c.line(x(k, depth), TOP + PLOT_HEIGHT, x(k, depth), TOP + PLOT_HEIGHT + 5, Color.GRAY, 1, false);
        c.text(x(k, depth), TOP + PLOT_HEIGHT + 18, Integer.toString(k), Anchor.MIDDLE, false);
      }
    }
    c.text(LEFT + PLOT_WIDTH / 2.0, TOP + PLOT_HEIGHT + 40, "k (number of results)", Anchor.MIDDLE, false);
    c.text(LEFT - 44, TOP + PLOT_HEIGHT / 2.0, "precision at k", Anchor.MIDDLE, true);

    List<MethodResult> methods = report.methodsByMap();
    // worst first, so the best line stays visible where curves coincide
    for (int i = methods.size() - 1; i >= 0; i--) {
      MethodResult m = methods.get(i);
      Color color = Color.decode(PALETTE[i % PALETTE.length]);
      boolean dashed = i >= PALETTE.length;
      List<Double> curve = m.precisionAtK();
      double[] xs = new double[curve.size()];
      double[] ys = new double[curve.size()];
      for (int k = 1; k <= curve.size(); k++) {
        xs[k - 1] = x(k, depth);
        ys[k - 1] = y(curve.get(k - 1));
      }
      c.polyline(xs, ys, color, 2, dashed);
      double ly = TOP + LEGEND_LINE * i + 6;
      c.line(LEGEND_X, ly, LEGEND_X + 24, ly, color, 2, dashed);
      c.text(LEGEND_X + 30, ly + 4, String.format(Locale.ROOT, "%s  (mAP %.3f)", m.name(),
          m.overall().meanAveragePrecision()), Anchor.START, false);
    }
  }

  private static double x(int k, int depth) {
    return LEFT + (depth == 1 ? 0 : (k - 1) * (double) PLOT_WIDTH / (depth - 1));
  }

  private static double y(double precision) {
    return TOP + (1 - precision) * PLOT_HEIGHT;
  }

  private enum Anchor { START, MIDDLE, END }

  /** The few drawing operations the chart needs. */
  private interface Canvas {
    void line(double x1, double y1, double x2, double y2, Color color, float width, boolean dashed);

    void polyline(double[] xs, double[] ys, Color color, float width, boolean dashed);

    /** Text whose baseline starts, is centred or ends at (x, y); vertical text reads bottom to top. */
    void text(double x, double y, String text, Anchor anchor, boolean vertical);
  }

  private static final class SvgCanvas implements Canvas {
    private final StringBuilder svg = new StringBuilder();

    SvgCanvas(int width, int height) {
      svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
          .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
          .append("\" font-family=\"DejaVu Sans, Arial, sans-serif\" fill=\"#404040\" font-size=\"").append(FONT_SIZE)
          .append("\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, float width, boolean dashed) {
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", x1, y1, x2, y2))
          .append(stroke(color, width, dashed)).append("/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, float width, boolean dashed) {
      svg.append("<polyline fill=\"none\" points=\"");
      for (int i = 0; i < xs.length; i++) {
        svg.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", xs[i], ys[i]));
      }
      svg.append('"').append(stroke(color, width, dashed)).append("/>\n");
    }

    @Override
    public void text(double x, double y, String text, Anchor anchor, boolean vertical) {
      String anchorName = switch (anchor) {
        case START -> "start";
        case MIDDLE -> "middle";
        case END -> "end";
      };
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchorName))
          .append(vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : "")
          .append('>').append(escape(text)).append("</text>\n");
    }

    String finish() {
      return svg.append("</svg>").toString();
    }

    private static String stroke(Color color, float width, boolean dashed) {
      return String.format(Locale.ROOT, " stroke=\"#%06x\" stroke-width=\"%.1f\"%s", color.getRGB() & 0xffffff, width,
          dashed ? " stroke-dasharray=\"6 4\"" : "");
    }
  }

  private static final class Java2dCanvas implements Canvas {
    private final Graphics2D g;

    Java2dCanvas(Graphics2D g) {
      this.g = g;
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, FONT_SIZE));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, float width, boolean dashed) {
      use(color, width, dashed);
      g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, float width, boolean dashed) {
      Path2D.Double path = new Path2D.Double();
      for (int i = 0; i < xs.length; i++) {
        if (i == 0) {
          path.moveTo(xs[i], ys[i]);
        } else {
          path.lineTo(xs[i], ys[i]);
        }
      }
      use(color, width, dashed);
      g.draw(path);
    }

    @Override
    public void text(double x, double y, String text, Anchor anchor, boolean vertical) {
      int width = g.getFontMetrics().stringWidth(text);
      double shift = switch (anchor) {
        case START -> 0;
        case MIDDLE -> width / 2.0;
        case END -> width;
      };
      AffineTransform saved = g.getTransform();
      g.translate(x, y);
      if (vertical) {
        g.rotate(-Math.PI / 2);
      }
      g.setColor(Color.DARK_GRAY);
      g.drawString(text, (float) -shift, 0f);
      g.setTransform(saved);
    }

    private void use(Color color, float width, boolean dashed) {
      g.setColor(color);
      g.setStroke(dashed
          ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
  }

  /** Escapes text for HTML and SVG (XML) content and attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
