#pragma once
#include <string>

namespace ridethrough::experiments {

/// Temporary output files to delete if the process is interrupted, so an interrupted run
/// leaves neither a partial output nor its temporary. Process-wide by nature (signals are).
void track_temp_file(const std::string& path);
void untrack_temp_file(const std::string& path);
/// Installs SIGINT/SIGTERM/SIGHUP handlers that unlink tracked files and exit with 128 + signal.
void remove_temp_files_on_signal();

}  // namespace ridethrough::experiments
