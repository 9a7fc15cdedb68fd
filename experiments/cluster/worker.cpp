#include "experiments/cluster/worker.hpp"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "experiments/cluster/simgrid_run.hpp"

extern char** environ;

namespace ridethrough::experiments::cluster {

namespace {

bool write_all(int fd, const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
    if (k < 0 && errno == ENOTSOCK) {
      const ssize_t w = ::write(fd, p, n);  // a pipe (the worker's child)
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      p += w, n -= static_cast<std::size_t>(w);
      continue;
    }
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k, n -= static_cast<std::size_t>(k);
  }
  return true;
}

/// Reads exactly n bytes; false at end of input or on error.
bool read_all(int fd, void* data, std::size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t k = ::read(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k, n -= static_cast<std::size_t>(k);
  }
  return true;
}

/// A message: its length, then its bytes.
bool send_message(int fd, const std::vector<char>& bytes) {
  const std::uint64_t n = bytes.size();
  return write_all(fd, &n, sizeof n) && write_all(fd, bytes.data(), bytes.size());
}

bool receive_message(int fd, std::vector<char>& bytes) {
  std::uint64_t n = 0;
  if (!read_all(fd, &n, sizeof n) || n > (std::uint64_t{1} << 34)) return false;
  bytes.resize(n);
  return read_all(fd, bytes.data(), n);
}

/// Runs one request in a forked child, so that it starts from a clean engine at time 0.
/// Returns the answer: a status byte (0 ok, 1 failed) and the tallies or an error message.
std::vector<char> serve(SimgridCluster& cluster, const std::vector<JobSpec>& jobs,
                        const Request& r) {
  sim::Archive answer;
  int p[2];
  if (::pipe(p) != 0) {
    answer.put<std::uint8_t>(1);
    answer.put(std::string("cannot create a pipe: ") + std::strerror(errno));
    return answer.bytes();
  }
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(p[0]);
    sim::Archive a;
    try {
      auto tallies = cluster.run(jobs, r);
      a.put<std::uint8_t>(0);
      save(a, tallies);
    } catch (const std::exception& e) {
      a = sim::Archive();
      a.put<std::uint8_t>(1);
      a.put(std::string(e.what()));
    }
    const bool ok = send_message(p[1], a.bytes());
    ::_exit(ok ? 0 : 3);
  }
  ::close(p[1]);
  std::vector<char> bytes;
  const bool got = child > 0 && receive_message(p[0], bytes);
  ::close(p[0]);
  int status = 0;
  if (child > 0) ::waitpid(child, &status, 0);
  if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    answer.put<std::uint8_t>(1);
    std::string why = child < 0             ? std::string("cannot fork: ") + std::strerror(errno)
                      : WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                            : "exit status " + std::to_string(WEXITSTATUS(status));
    answer.put("the SimGrid simulation failed (" + why + ")");
    return answer.bytes();
  }
  return bytes;  // the child's own status and payload
}

}  // namespace

int worker_main() {
  // The process that started the worker decides what Ctrl-C means; the worker ends when its
  // input closes, and a child finishes the replication it is simulating.
  ::signal(SIGINT, SIG_IGN);
  // The requests come on the socket at fd 0; anything SimGrid might print must not land in it.
  const int io = ::dup(0);
  ::dup2(2, 1);
  std::vector<char> bytes;
  if (io < 0 || !receive_message(io, bytes)) return 2;
  Platform platform;
  std::vector<JobSpec> jobs;
  sim::Archive setup(std::move(bytes));
  load(setup, platform, jobs);
  SimgridCluster cluster(platform);
  while (receive_message(io, bytes)) {
    sim::Archive in(std::move(bytes));
    Request r;
    load(in, r);
    if (!send_message(io, serve(cluster, jobs, r))) return 1;
  }
  return 0;
}

WorkerClient::WorkerClient(const Platform& p, const std::vector<JobSpec>& jobs,
                           const std::string& executable) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw std::runtime_error(std::string("cannot start a SimGrid worker: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
  posix_spawn_file_actions_adddup2(&actions, sv[1], 1);
  char arg0[] = "ridethrough", arg1[64];
  std::snprintf(arg1, sizeof arg1, "%s", kWorkerCommand);
  char* argv[] = {arg0, arg1, nullptr};
  const int rc = ::posix_spawn(&pid_, executable.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    throw std::runtime_error("cannot start a SimGrid worker (" + executable +
                             "): " + std::strerror(rc));
  }
  fd_ = sv[0];
  sim::Archive a;
  save(a, p, jobs);
  if (!send_message(fd_, a.bytes())) throw std::runtime_error("the SimGrid worker did not start");
}

WorkerClient::~WorkerClient() {
  if (fd_ >= 0) ::close(fd_);  // the worker sees the end of its input and exits
  if (pid_ > 0) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::vector<JobTally> WorkerClient::run(const Request& r) {
  sim::Archive a;
  save(a, r);
  std::vector<char> bytes;
  if (!send_message(fd_, a.bytes()) || !receive_message(fd_, bytes))
    throw std::runtime_error("the SimGrid worker stopped answering");
  sim::Archive in(std::move(bytes));
  std::uint8_t status = 1;
  in.get(status);
  if (status != 0) {
    std::string why;
    in.get(why);
    throw std::runtime_error(why);
  }
  std::vector<JobTally> out;
  load(in, out);
  return out;
}

}  // namespace ridethrough::experiments::cluster
