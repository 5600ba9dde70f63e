#include <CLI/CLI.hpp>
#include <iostream>

#include "report_command.h"
#include "run_command.h"
#include "tcpstated/version.h"

int main(int argc, char** argv) {
  CLI::App app{"tcpstated: TCP connection states per port, for Prometheus"};
  app.set_version_flag("--version",
                       std::string("tcpstated ") + tcpstated::kVersion);
  app.require_subcommand(1);

  tcpstated::ReportCommandOptions report_options;
  CLI::App* report = tcpstated::AddReportCommand(app, report_options);

  // `run` parses its own arguments (the same parser re-reads them on
  // SIGHUP), so CLI11 hands them over untouched.
  CLI::App* run = app.add_subcommand(
      "run",
      "Run the daemon: collect periodically and serve Prometheus "
      "metrics (see `tcpstated run --help`)");
  run->prefix_command();
  run->set_help_flag();

  std::string config_file;
  CLI::App* check = app.add_subcommand(
      "check-config",
      "Validate a configuration file; exit 0 if valid, 2 if not");
  check->add_option("file", config_file, "Configuration file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& success) {
    return app.exit(success);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return 2;  // usage errors: one exit status, whatever CLI11 calls them
  }

  if (report->parsed()) return tcpstated::RunReportCommand(report_options);
  if (run->parsed()) return tcpstated::RunDaemonCommand(run->remaining());
  if (check->parsed()) return tcpstated::CheckConfigCommand(config_file);
  return 2;
}
