#include "cpu/thread_pool.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ET_CPU_RELAX() _mm_pause()
#else
#define ET_CPU_RELAX() ((void)0)
#endif

namespace et {
namespace {

// How long an idle worker spins before it sleeps: long enough to catch the next kernel of a
// training step without a futex round trip, short enough not to burn a core between steps.
constexpr int kSpinIterations = 1 << 15;

thread_local bool tls_inside_job = false;

class ThreadPool {
 public:
  explicit ThreadPool(int num_threads) { Start(num_threads); }
  ~ThreadPool() { Stop(); }

  int size() const { return num_threads_; }

  void Resize(int num_threads) {
    std::lock_guard<std::mutex> run_lock(run_mutex_);
    Stop();
    Start(num_threads);
  }

  // Runs job(ctx, task, thread) for tasks [0, num_tasks) on all threads, caller included.
  void Run(int64_t num_tasks, TaskFn job, void* ctx) {
    std::unique_lock<std::mutex> run_lock(run_mutex_, std::try_to_lock);
    // Nested or concurrent calls (a kernel inside a kernel, or a second JS thread) run inline.
    if (!run_lock.owns_lock() || tls_inside_job || num_threads_ == 1 || num_tasks <= 1) {
      for (int64_t i = 0; i < num_tasks; ++i) job(ctx, i, 0);
      return;
    }
    job_ = job;
    ctx_ = ctx;
    num_tasks_ = num_tasks;
    next_task_.store(0, std::memory_order_relaxed);
    job_id_ = (job_id_ + 1) & 0xffffffffu;
    admission_.store(job_id_ << 32, std::memory_order_release);  // open, nobody inside
    {
      std::lock_guard<std::mutex> lock(wake_mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_cv_.notify_all();
    tls_inside_job = true;
    Drain(0);
    tls_inside_job = false;
    // Every task is taken. Close the job so that workers not yet awake (descheduled by another
    // process, say) skip it, and wait only for those inside, which are finishing their tasks.
    admission_.fetch_or(kClosed, std::memory_order_acq_rel);
    for (int spin = 0; (admission_.load(std::memory_order_acquire) & kInsideMask) != 0; ++spin) {
      if (spin < kSpinIterations) {
        ET_CPU_RELAX();
      } else {
        std::this_thread::yield();
      }
    }
  }

 private:
  void Start(int num_threads) {
    num_threads_ = std::max(1, num_threads);
    stopping_ = false;
    // Each worker starts from the generation as it is now: a job posted before the thread is
    // first scheduled must still count as new to it.
    const uint64_t start_generation = generation_.load(std::memory_order_acquire);
    for (int t = 1; t < num_threads_; ++t) {
      workers_.emplace_back([this, t, start_generation] { WorkerLoop(t, start_generation); });
    }
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(wake_mutex_);
      stopping_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_cv_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  void Drain(int thread_index) {
    for (;;) {
      const int64_t task = next_task_.fetch_add(1, std::memory_order_relaxed);
      if (task >= num_tasks_) break;
      job_(ctx_, task, thread_index);
    }
  }

  void WorkerLoop(int thread_index, uint64_t seen) {
    tls_inside_job = true;
    for (;;) {
      uint64_t now = seen;
      for (int spin = 0; spin < kSpinIterations; ++spin) {
        now = generation_.load(std::memory_order_acquire);
        if (now != seen) break;
        ET_CPU_RELAX();
      }
      if (now == seen) {
        std::unique_lock<std::mutex> lock(wake_mutex_);
        wake_cv_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        now = generation_.load(std::memory_order_acquire);
      }
      seen = now;
      if (stopping_) return;
      // Enter the job only while it is open; the caller waits for exactly those inside.
      uint64_t state = admission_.load(std::memory_order_acquire);
      while ((state & kClosed) == 0) {
        if (admission_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
          Drain(thread_index);
          admission_.fetch_sub(1, std::memory_order_release);
          break;
        }
      }
    }
  }

  int num_threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex run_mutex_;
  std::mutex wake_mutex_;
  std::condition_variable wake_cv_;
  std::atomic<uint64_t> generation_{0};
  bool stopping_ = false;

  TaskFn job_ = nullptr;
  void* ctx_ = nullptr;
  int64_t num_tasks_ = 0;
  std::atomic<int64_t> next_task_{0};
  // Admission to the current job: its id in the high 32 bits, kClosed once every task is
  // taken, and in the low bits how many workers are inside it.
  static constexpr uint64_t kClosed = uint64_t{1} << 31;
  static constexpr uint64_t kInsideMask = kClosed - 1;
  std::atomic<uint64_t> admission_{kClosed};
  uint64_t job_id_ = 0;
};

int InitialThreads() {
  const char* env = std::getenv("EDGETENSOR_NUM_THREADS");
  if (env && *env) {
    const long n = std::strtol(env, nullptr, 10);
    if (n >= 1 && n <= 1024) return static_cast<int>(n);
  }
  return AvailableCores();
}

ThreadPool& Pool() {
  // Leaked on purpose: joining threads from a static destructor at process exit can deadlock.
  static ThreadPool* pool = new ThreadPool(InitialThreads());
  return *pool;
}

struct RangeJob {
  RangeFn fn;
  void* ctx;
  int64_t n;
  int64_t chunks;
};

}  // namespace

int AvailableCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  const unsigned hc = std::thread::hardware_concurrency();
  return hc > 0 ? static_cast<int>(hc) : 1;
}

int NumThreads() { return Pool().size(); }

void SetNumThreads(int n) { Pool().Resize(n); }

void ParallelTasks(int64_t num_tasks, TaskFn fn, void* ctx) {
  if (num_tasks <= 0) return;
  Pool().Run(num_tasks, fn, ctx);
}

void ParallelFor(int64_t n, int64_t min_chunk, RangeFn fn, void* ctx) {
  if (n <= 0) return;
  min_chunk = std::max<int64_t>(1, min_chunk);
  const int64_t by_size = (n + min_chunk - 1) / min_chunk;
  const int64_t chunks = std::min<int64_t>(by_size, NumThreads());
  if (chunks <= 1 || tls_inside_job) {
    fn(ctx, 0, n, 0);
    return;
  }
  RangeJob job{fn, ctx, n, chunks};
  ParallelTasks(
      chunks,
      [](void* c, int64_t i, int t) {
        const auto& j = *static_cast<RangeJob*>(c);
        const int64_t begin = j.n * i / j.chunks;
        const int64_t end = j.n * (i + 1) / j.chunks;
        j.fn(j.ctx, begin, end, t);
      },
      &job);
}

}  // namespace et
