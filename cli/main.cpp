// rcbench: the one front door. Subcommands register themselves (commands.hpp).
#include "commands.hpp"
#include "rcbench_revision.h"

#include "harness/catalog.hpp"
#include "rcbench/io/errors.hpp"
#include "run/catalog.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  using namespace rcbench::cli;
  CLI::App app{
      "rcbench: what reference counting costs on this machine, between these cores, "
      "compared with a GIL.",
      "rcbench"};
  app.set_version_flag("--version", std::string(RCBENCH_VERSION) + " (" RCBENCH_GIT_REVISION ")");
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 ok, 1 regression (compare), 2 usage or input error, 3 inconclusive "
      "(compare), 4 runtime error.\nRun `rcbench <command> --help` for a command's options.");

  // Runs written before runs carried a catalog are read with this build's (report,
  // compare): the one place the readers learn strategy names other than from a run.
  rcbench::runjson::set_build_catalog(rcbench::harness::build_catalog());

  add_topology_command(app);
  add_run_command(app);
  add_events_command(app);
  add_report_command(app);
  add_compare_command(app);
  add_lab_command(app);
  add_fleet_command(app);
  add_matrix_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 exits 0 for --help/--version and 106+ for errors; usage errors are 2 here.
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsageError;
  } catch (const CommandExit& e) {
    if (e.what()[0] != '\0') std::fprintf(stderr, "rcbench: %s\n", e.what());
    return e.code;
  } catch (const rcbench::io::DestinationRefused& e) {
    std::fprintf(stderr, "rcbench: %s\n", e.what());
    return kUsageError;
  } catch (const rcbench::io::WriteFailed& e) {
    std::fprintf(stderr, "rcbench: %s\n", e.what());
    return kRuntimeError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rcbench: error: %s\n", e.what());
    return kRuntimeError;
  }
  return kOk;
}
