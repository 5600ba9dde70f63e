#include "auth_verifier.h"

#include <pthread.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

namespace tcpstated {

struct AuthVerifier::Shared {
  struct Job {
    std::shared_ptr<const BasicAuth> auth;
    BasicCredentials credentials;
    Done done;
    bool trusted = false;
  };
  explicit Shared(Limits l) : limits(l) {}

  const Limits limits;
  std::mutex mutex;
  std::condition_variable wake;
  struct Queue {
    std::deque<Job> jobs;
  };
  std::map<std::string, Queue> queues;
  // Clients with a queue, next first: those whose next check is trusted,
  // then the others.
  std::deque<std::string> turns[2];
  void TakeTurn(const std::string& client, const Job& next) {
    turns[next.trusted ? 0 : 1].push_back(client);
  }
  std::size_t queued = 0;
  std::optional<Done> running;  // the done of the check under way
  bool stopping = false;
};

AuthVerifier::AuthVerifier(Limits limits)
    : shared_(std::make_shared<Shared>(limits)),
      thread_([shared = shared_] { Run(shared); }) {}

AuthVerifier::~AuthVerifier() { Stop(); }

AuthVerifier::Outcome AuthVerifier::Submit(
    const std::string& client, bool trusted,
    std::shared_ptr<const BasicAuth> auth, BasicCredentials credentials,
    Done done) {
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->stopping) return Outcome::kStopped;
    auto& queue = shared_->queues[client];
    if (queue.jobs.size() >= shared_->limits.max_per_client) {
      return Outcome::kClientBusy;
    }
    if (shared_->queued >= shared_->limits.max_queued) {
      if (queue.jobs.empty()) shared_->queues.erase(client);
      return Outcome::kBusy;
    }
    queue.jobs.push_back(
        {std::move(auth), std::move(credentials), std::move(done), trusted});
    if (queue.jobs.size() == 1) shared_->TakeTurn(client, queue.jobs.front());
    ++shared_->queued;
  }
  shared_->wake.notify_one();
  return Outcome::kQueued;
}

bool AuthVerifier::Busy() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->running.has_value();
}

void AuthVerifier::Stop() {
  std::vector<Done> refused;
  bool busy = false;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    for (auto& [client, queue] : shared_->queues) {
      for (auto& job : queue.jobs) refused.push_back(std::move(job.done));
    }
    shared_->queues.clear();
    for (auto& turns : shared_->turns) turns.clear();
    shared_->queued = 0;
    if (shared_->running) {
      refused.push_back(std::move(*shared_->running));
      shared_->running.reset();
      busy = true;
    }
  }
  shared_->wake.notify_one();
  for (Done& done : refused) done(false);
  if (!thread_.joinable()) return;
  // An idle thread ends at once; a busy one ends when its bcrypt does, on
  // its own (it holds what it uses).
  if (busy) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void AuthVerifier::Run(std::shared_ptr<Shared> shared) {
  pthread_setname_np(pthread_self(), "bcrypt");
  for (;;) {
    Shared::Job job;
    {
      std::unique_lock lock(shared->mutex);
      shared->wake.wait(lock,
                        [&] { return shared->stopping || shared->queued > 0; });
      if (shared->stopping) return;
      auto& turns = shared->turns[shared->turns[0].empty() ? 1 : 0];
      const std::string client = std::move(turns.front());
      turns.pop_front();
      auto queue = shared->queues.find(client);
      job = std::move(queue->second.jobs.front());
      queue->second.jobs.pop_front();
      --shared->queued;
      if (queue->second.jobs.empty()) {
        shared->queues.erase(queue);
      } else {  // its next check, after the others
        shared->TakeTurn(client, queue->second.jobs.front());
      }
      shared->running = std::move(job.done);
    }
    bool allowed = false;
    try {
      allowed = job.auth->Verify(job.credentials);
    } catch (...) {
      allowed = false;  // bad_alloc: refused, not crashed
    }
    std::optional<Done> done;
    {
      std::lock_guard lock(shared->mutex);
      done.swap(shared->running);  // empty if Stop() refused it meanwhile
    }
    if (done) (*done)(allowed);
  }
}

}  // namespace tcpstated
