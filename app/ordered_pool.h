// app/ordered_pool.h
// Runs one function over a stream of inputs on worker threads, each worker
// with state of its own (for extraction: a ClaimExtractor, which owns a
// MeCab tagger, an ICU sentence splitter and the figure matchers), and hands
// the outputs back on the submitting thread in submission order. That thread
// is the single writer: it stores results exactly as a one-thread run would,
// so page ids, claim history and events come out the same.
//
// Memory is bounded: at most `window` inputs are queued or being worked on
// or waiting to be delivered; Submit blocks (delivering) when the window is
// full. With one state the pool starts no thread and runs each input inline.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "base/status.h"

namespace newsclaim::app {

// Submit, Finish and states() are for one thread (the writer); the work
// function runs on the workers, each call with its worker's own state.
template <typename State, typename In, typename Out>
class OrderedPool {
 public:
  using Work = std::function<Out(State&, In)>;
  // Called on the submitting thread, once per input, in submission order.
  // An error stops delivery: later Submit and Finish calls return it.
  using Deliver = std::function<Status(Out)>;

  // One worker per element of `states` (at least one). `window` is the most
  // inputs in flight (at least the number of workers).
  OrderedPool(std::vector<State> states, Work work, Deliver deliver, size_t window)
      : states_(std::move(states)),
        work_(std::move(work)),
        deliver_(std::move(deliver)),
        window_(std::max(window, states_.size())),
        ring_(window_) {
    if (states_.size() > 1) {
      workers_.reserve(states_.size());
      for (size_t i = 0; i < states_.size(); ++i) {
        workers_.emplace_back([this, i] { WorkerLoop(states_[i]); });
      }
    }
  }

  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  // Stops the workers; results not yet delivered are dropped.
  ~OrderedPool() { Stop(); }

  // Queues `input` and delivers every result that is ready in order. Blocks
  // while the window is full, delivering as results come in. Returns the
  // first error a delivery returned.
  Status Submit(In input) {
    if (!failed_.ok()) return failed_;
    if (workers_.empty()) {
      failed_ = deliver_(work_(states_.front(), std::move(input)));
      return failed_;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    while (submitted_ - delivered_ >= window_) {
      RETURN_IF_ERROR(DeliverNext(lock, /*wait=*/true));
    }
    inputs_.emplace_back(submitted_++, std::move(input));
    work_ready_.notify_one();
    while (delivered_ < submitted_ && ring_[delivered_ % window_].has_value()) {
      RETURN_IF_ERROR(DeliverNext(lock, /*wait=*/false));
    }
    return failed_;
  }

  // Delivers every result still in flight, then stops the workers (their
  // states stay readable). Returns the first error a delivery returned.
  Status Finish() {
    if (!workers_.empty()) {
      std::unique_lock<std::mutex> lock(mutex_);
      while (failed_.ok() && delivered_ < submitted_) {
        Status delivered = DeliverNext(lock, /*wait=*/true);
        if (!delivered.ok()) break;
      }
    }
    Stop();
    return failed_;
  }

  // The workers' states; read them after Finish (e.g. their timings).
  std::vector<State>& states() { return states_; }

 private:
  // Takes the next result in order (waiting for it when `wait`), delivers
  // it with the lock released, and returns the delivery's status.
  Status DeliverNext(std::unique_lock<std::mutex>& lock, bool wait) {
    std::optional<Out>& slot = ring_[delivered_ % window_];
    if (wait) result_ready_.wait(lock, [&] { return slot.has_value(); });
    Out out = std::move(*slot);
    slot.reset();
    ++delivered_;
    lock.unlock();
    Status status = deliver_(std::move(out));
    lock.lock();
    if (!status.ok() && failed_.ok()) failed_ = status;
    return failed_;
  }

  void WorkerLoop(State& state) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      work_ready_.wait(lock, [&] { return stopping_ || !inputs_.empty(); });
      if (stopping_) return;
      auto [seq, input] = std::move(inputs_.front());
      inputs_.pop_front();
      lock.unlock();
      Out out = work_(state, std::move(input));
      lock.lock();
      ring_[seq % window_].emplace(std::move(out));
      if (seq == delivered_) result_ready_.notify_one();
    }
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }

  std::vector<State> states_;
  Work work_;
  Deliver deliver_;
  const size_t window_;
  Status failed_;  // the first delivery error

  std::mutex mutex_;
  std::condition_variable work_ready_;    // inputs_ gained an input, or stopping_
  std::condition_variable result_ready_;  // the next result to deliver arrived
  std::deque<std::pair<uint64_t, In>> inputs_;
  std::vector<std::optional<Out>> ring_;  // result of input s at s % window_
  uint64_t submitted_ = 0;
  uint64_t delivered_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace newsclaim::app
