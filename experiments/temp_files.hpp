#pragma once
#include <string>

namespace ridethrough::experiments {

/// Temporary output files to delete if the process is interrupted, so an interrupted run
/// leaves neither a partial output nor its temporary. Process-wide by nature (signals are).
void track_temp_file(const std::string& path);
void untrack_temp_file(const std::string& path);
/// Installs SIGINT/SIGTERM/SIGHUP handlers that unlink tracked files and exit with 128 + signal.
void remove_temp_files_on_signal();
/// For a checkpointing run: SIGINT and SIGTERM only raise a flag (pending_stop_signal), so the
/// run can save its checkpoint between blocks and stop; a second signal stops at once.
void defer_stop_signals();
int pending_stop_signal();

}  // namespace ridethrough::experiments
