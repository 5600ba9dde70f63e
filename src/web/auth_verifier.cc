#include "auth_verifier.h"

#include <pthread.h>

namespace tcpstated {

AuthVerifier::AuthVerifier(std::size_t max_queued)
    : max_queued_(max_queued), thread_([this] { Run(); }) {}

AuthVerifier::~AuthVerifier() { Stop(); }

bool AuthVerifier::Submit(std::shared_ptr<const BasicAuth> auth,
                          BasicCredentials credentials, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(
        {std::move(auth), std::move(credentials), std::move(done)});
  }
  wake_.notify_one();
  return true;
}

void AuthVerifier::Stop() {
  std::deque<Job> refused;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    refused.swap(queue_);
  }
  wake_.notify_one();
  for (Job& job : refused) job.done(false);
  if (thread_.joinable()) thread_.join();
}

void AuthVerifier::Run() {
  pthread_setname_np(pthread_self(), "bcrypt");
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    bool allowed = false;
    try {
      allowed = job.auth->Verify(job.credentials);
    } catch (...) {
      allowed = false;  // bad_alloc: refused, not crashed
    }
    job.done(allowed);
  }
}

}  // namespace tcpstated
