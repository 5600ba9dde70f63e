#include <CLI/CLI.hpp>
#include <iostream>

#include "report_command.h"
#include "tcpstated/version.h"

int main(int argc, char** argv) {
  CLI::App app{"tcpstated: TCP connection states per port, for Prometheus"};
  app.set_version_flag("--version",
                       std::string("tcpstated ") + tcpstated::kVersion);
  app.require_subcommand(1);

  tcpstated::ReportCommandOptions report_options;
  CLI::App* report = tcpstated::AddReportCommand(app, report_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& success) {
    return app.exit(success);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return 2;  // usage errors: one exit status, whatever CLI11 calls them
  }

  if (report->parsed()) return tcpstated::RunReportCommand(report_options);
  return 2;
}
