#pragma once

#include <string>

#include "tcpstated/model/log.h"

namespace tcpstated {

// Builds the process's one logger and makes it spdlog's default: journald
// when `target` is "journal", or "auto" and systemd connected our stderr to
// the journal (JOURNAL_STREAM names stderr's device and inode); stderr
// otherwise. When the journal is wanted but not reachable, it logs to
// stderr and says so once. Call once, before other threads start: the
// logger is never replaced afterwards, so a thread that is logging can
// never see it freed.
void SetUpLogging(const std::string& level, const std::string& target);

// Writes one line to that logger.
void WriteLog(LogLevel level, const std::string& line);
// WriteLog as a LogFn: what the collection loop and the HTTP front are
// handed.
inline LogFn DaemonLog() { return WriteLog; }
// Flushes and drops the logger; the last call.
void StopLogging();

// Changes the level of that logger (atomic in spdlog: safe while other
// threads log). What a reload changes; the target is read at start only.
void SetLogLevel(const std::string& level);

// What the logger is now, for tests: its level ("info", ...) and whether
// it writes to stderr (else to the journal).
std::string CurrentLogLevel();
bool LoggingToStderr();
// Its address: the same one for the daemon's whole life.
const void* CurrentLogger();

// Whether JOURNAL_STREAM (as systemd sets it, "DEVICE:INODE") names the
// file `stderr_fd` is open on. Exposed for tests.
bool StderrIsJournal(const char* journal_stream, int stderr_fd);

}  // namespace tcpstated
