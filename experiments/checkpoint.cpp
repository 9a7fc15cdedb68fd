#include "experiments/checkpoint.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "experiments/report.hpp"

namespace ridethrough::experiments {

namespace {
constexpr char kMagic[] = "ridethrough checkpoint 1\n";

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CheckpointError("cannot read checkpoint '" + path + "'");
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

Checkpointer::Checkpointer(const CheckpointOptions& o) : o_(o), rows_path_(o.path + ".rows") {
  last_ = now_seconds();
}

Checkpointer::~Checkpointer() = default;

std::optional<CheckpointState> Checkpointer::load() {
  if (!enabled()) return std::nullopt;
  remove_dead_temporaries();
  if (!o_.resume) {
    // A fresh run drops any older checkpoint at that path and starts a fresh side file.
    std::remove(o_.path.c_str());
    std::ofstream fresh(rows_path_, std::ios::binary | std::ios::trunc);
    if (!fresh) throw CheckpointError("cannot write '" + rows_path_ + "'");
    return std::nullopt;
  }
  const std::string text = read_all(o_.path);
  const std::size_t m = std::strlen(kMagic);
  if (text.compare(0, m, kMagic) != 0)
    throw CheckpointError("'" + o_.path + "' is not a ridethrough checkpoint");
  sim::Archive a(std::vector<char>(text.begin() + static_cast<long>(m), text.end()));
  CheckpointState s;
  std::string fingerprint;
  try {
    a.get(fingerprint);
    a.get(s.next_block);
    a.get(s.rows_bytes);
    a.get(s.pid);
    a.get(s.totals);
  } catch (const std::exception&) {
    throw CheckpointError("checkpoint '" + o_.path + "' is damaged");
  }
  if (fingerprint != o_.fingerprint)
    throw CheckpointError("checkpoint '" + o_.path +
                          "' is from another run: resume with the same design, --set, --seed, "
                          "--replications, --target-rel-error and --out as the run that wrote it");
  std::error_code ec;
  const auto size = std::filesystem::file_size(rows_path_, ec);
  if (s.rows_bytes > 0 && (ec || size < s.rows_bytes))
    throw CheckpointError("the rows of checkpoint '" + o_.path + "' ('" + rows_path_ +
                          "') are missing or short");
  if (!ec) std::filesystem::resize_file(rows_path_, s.rows_bytes);  // drop rows saved later
  rows_bytes_ = s.rows_bytes;
  return s;
}

/// A run killed outright (SIGKILL) cannot remove its temporary outputs, `OUT.tmp.PID`: those of
/// processes no longer alive go when the run is resumed.
void Checkpointer::remove_dead_temporaries() const {
  namespace fs = std::filesystem;
  for (const auto& out : o_.outputs) {
    const fs::path p(out);
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    const std::string prefix = p.filename().string() + ".tmp.";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind(prefix, 0) != 0) continue;
      const std::string pid = name.substr(prefix.size());
      if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
      const long id = std::stol(pid);
      if (id != ::getpid() && ::kill(static_cast<pid_t>(id), 0) != 0 && errno == ESRCH)
        fs::remove(e.path(), ec);
    }
  }
}

void Checkpointer::replay_rows(const std::function<void(sim::Archive&)>& each) {
  if (!enabled()) return;
  if (rows_bytes_ > 0) {
    std::ifstream in(rows_path_, std::ios::binary);
    std::uint64_t at = 0;
    while (at < rows_bytes_) {
      std::uint64_t n = 0;
      in.read(reinterpret_cast<char*>(&n), sizeof n);
      std::vector<char> bytes(n);
      in.read(bytes.data(), static_cast<std::streamsize>(n));
      if (!in) throw CheckpointError("the rows of checkpoint '" + o_.path + "' are damaged");
      sim::Archive a(std::move(bytes));
      each(a);
      at += sizeof n + n;
    }
  }
  rows_.open(rows_path_, std::ios::binary | std::ios::app);
  if (!rows_) throw CheckpointError("cannot write '" + rows_path_ + "'");
}

void Checkpointer::append_rows(const sim::Archive& rows) {
  const std::uint64_t n = rows.bytes().size();
  rows_.write(reinterpret_cast<const char*>(&n), sizeof n);
  rows_.write(rows.bytes().data(), static_cast<std::streamsize>(n));
  rows_bytes_ += sizeof n + n;
}

bool Checkpointer::due() const {
  return enabled() && (stop_signal() != 0 || now_seconds() - last_ >= o_.every_seconds);
}

void Checkpointer::save(std::uint64_t next_block, const sim::Archive& totals) {
  rows_.flush();  // the rows the state counts are in the file before the state says so
  if (!rows_) throw std::runtime_error("cannot write '" + rows_path_ + "'");
  sim::Archive a;
  a.put(o_.fingerprint);
  a.put(next_block);
  a.put(rows_bytes_);
  a.put(static_cast<std::int64_t>(::getpid()));
  a.put(totals.bytes());
  std::string text(kMagic);
  text.append(a.bytes().begin(), a.bytes().end());
  write_file_atomic(o_.path, text);
  last_ = now_seconds();
}

void Checkpointer::finished() {
  if (!enabled()) return;
  rows_.close();
  std::remove(o_.path.c_str());
  std::remove(rows_path_.c_str());
}

}  // namespace ridethrough::experiments
