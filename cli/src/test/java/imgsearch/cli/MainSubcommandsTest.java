package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every subcommand is reachable and listed, whether the command line sets up all of them or just one. */
class MainSubcommandsTest {

  @Test
  void eachSubcommandIsNamedAsItsOwnCommandAnnotationNamesIt() {
    for (Main.Subcommand c : Main.SUBCOMMANDS) {
      Object command = c.command().get();
      Class<?> type = command instanceof Class<?> cls ? cls : command.getClass();
      assertEquals(type.getAnnotation(CommandLine.Command.class).name(), c.name());
    }
  }

  @Test
  void theTopLevelHelpListsEveryVisibleSubcommand() {
    CliRun help = CliRun.of("--help");
    assertEquals(0, help.exit());
    for (String name : new String[] {"demo", "crawl", "index", "search", "serve", "duplicates", "eval", "info",
        "models", "bench", "help"}) {
      assertTrue(help.out().contains("  " + name + " "), name + " missing from:\n" + help.out());
    }
  }

  @Test
  void helpExplainsAnySubcommandAndASubcommandExplainsItself() {
    CliRun viaHelp = CliRun.of("help", "index");
    CliRun itself = CliRun.of("index", "--help");
    assertEquals(0, viaHelp.exit());
    assertEquals(0, itself.exit());
    assertTrue(itself.out().startsWith("Usage: imgsearch index"), itself.out());
    assertEquals(itself.out(), viaHelp.out());
  }

  @Test
  void anUnknownSubcommandIsAUsageErrorThatSuggestsTheNearestOne() {
    CliRun r = CliRun.of("indx", "photos");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("index"), r.err());
  }
}
