#pragma once
#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace ridethrough::sim {

/// A flat byte buffer for shipping partial results between MPI ranks. Both ends run the same
/// binary, so plain native layouts are enough; no versioning is needed.
class Archive {
 public:
  Archive() = default;
  explicit Archive(std::vector<char> bytes) : buf_(std::move(bytes)) {}
  const std::vector<char>& bytes() const { return buf_; }

  template <class T>
  std::enable_if_t<std::is_arithmetic_v<T>> put(const T& v) {
    const auto* p = reinterpret_cast<const char*>(&v);
    buf_.insert(buf_.end(), p, p + sizeof(T));
  }
  template <class T>
  void put(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    if constexpr (std::is_arithmetic_v<T>) {
      const auto* p = reinterpret_cast<const char*>(v.data());
      buf_.insert(buf_.end(), p, p + v.size() * sizeof(T));
    } else {
      for (const auto& x : v) put(x);
    }
  }
  void put(const std::string& s) {
    put<std::uint64_t>(s.size());
    buf_.insert(buf_.end(), s.begin(), s.end());
  }
  template <class K, class V>
  void put(const std::map<K, V>& m) {
    put<std::uint64_t>(m.size());
    for (const auto& [k, v] : m) {
      put(k);
      put(v);
    }
  }

  template <class T>
  std::enable_if_t<std::is_arithmetic_v<T>> get(T& v) {
    need(sizeof(T));
    std::memcpy(&v, buf_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
  }
  template <class T>
  void get(std::vector<T>& v) {
    std::uint64_t n = 0;
    get(n);
    v.resize(n);
    if constexpr (std::is_arithmetic_v<T>) {
      need(n * sizeof(T));
      if (n) std::memcpy(v.data(), buf_.data() + pos_, n * sizeof(T));
      pos_ += n * sizeof(T);
    } else {
      for (auto& x : v) get(x);
    }
  }
  void get(std::string& s) {
    std::uint64_t n = 0;
    get(n);
    need(n);
    s.assign(buf_.data() + pos_, n);
    pos_ += n;
  }
  template <class K, class V>
  void get(std::map<K, V>& m) {
    std::uint64_t n = 0;
    get(n);
    m.clear();
    for (std::uint64_t i = 0; i < n; ++i) {
      K k;
      V v;
      get(k);
      get(v);
      m.emplace(std::move(k), std::move(v));
    }
  }

 private:
  void need(std::size_t n) const {
    if (pos_ + n > buf_.size()) throw std::runtime_error("archive: truncated message");
  }
  std::vector<char> buf_;
  std::size_t pos_ = 0;
};

}  // namespace ridethrough::sim
