#pragma once
#include <cassert>
#include <cstdint>
#include <vector>

namespace ridethrough::sim {

/// One scheduled event. `stamp` lets the owner invalidate events cheaply: an event whose stamp
/// no longer matches its target's current stamp is stale and skipped, so nothing is ever
/// removed from the middle of the heap.
struct Event {
  double time;
  std::uint64_t seq;  ///< insertion order: ties at one instant are served first in, first out
  std::int32_t target;
  std::uint32_t stamp;
  std::uint8_t type;
};

/// Binary min-heap on (time, seq). Hand-written because the engine's inner loop lives here:
/// no allocation after warm-up (clear() keeps capacity) and no comparator indirection.
class EventQueue {
 public:
  void clear() {
    heap_.clear();
    seq_ = 0;
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const {
    assert(!heap_.empty());
    return heap_.front();
  }

  void push(double time, std::uint8_t type, std::int32_t target, std::uint32_t stamp) {
    heap_.push_back(Event{time, seq_++, target, stamp, type});
    sift_up(heap_.size() - 1);
  }

  /// Gives every event the time `when(event)` returns and restores the heap (splitting draws
  /// pending clocks again in a copy of a replication).
  template <class When>
  void retime(When when) {
    for (auto& e : heap_) e.time = when(static_cast<const Event&>(e));
    for (std::size_t i = heap_.size() / 2; i-- > 0;) sift_down(i);
  }

  Event pop() {
    assert(!heap_.empty());
    Event out = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return out;
  }

 private:
  static bool less(const Event& a, const Event& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
  void sift_up(std::size_t i) {
    Event e = heap_[i];
    while (i > 0) {
      std::size_t parent = (i - 1) / 2;
      if (!less(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  void sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    Event e = heap_[i];
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && less(heap_[child + 1], heap_[child])) ++child;
      if (!less(heap_[child], e)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  std::vector<Event> heap_;
  std::uint64_t seq_ = 0;
};

}  // namespace ridethrough::sim
