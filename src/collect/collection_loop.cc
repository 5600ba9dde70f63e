#include "tcpstated/collect/collection_loop.h"

#include <pthread.h>

#include <algorithm>
#include <memory>
#include <unordered_set>

#include "tcpstated/collect/churn_rows.h"
#include "tcpstated/host/network_namespaces.h"

namespace tcpstated {
namespace {

// The kernel program's counts of namespaces that no longer exist go, so
// that its map has room for new ones.
void ForgetGoneNamespaces(ChurnEvents& events,
                          const std::vector<NetworkNamespace>& listed) {
  std::unordered_set<std::uint64_t> alive;
  for (const NetworkNamespace& netns : listed) alive.insert(netns.inode);
  if (alive.empty()) return;  // a listing that failed forgets nothing
  events.Forget([&](std::uint64_t inode) { return !alive.contains(inode); });
}

}  // namespace

CollectionLoop::CollectionLoop(SnapshotPublisher& store,
                               CollectionSettings settings, LoopHooks hooks)
    : store_(store),
      hooks_(std::move(hooks)),
      settings_(std::move(settings)),
      single_(hooks_.make_source, hooks_.log),
      sweep_(hooks_.log),
      thread_([this](std::stop_token stop) { Run(stop); }) {}

CollectionLoop::~CollectionLoop() { Stop(); }

void CollectionLoop::Stop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

std::optional<std::string> CollectionLoop::FatalError() const {
  std::lock_guard lock(mutex_);
  return fatal_;
}

void CollectionLoop::Reconfigure(const CollectionSettings& settings) {
  {
    std::lock_guard lock(mutex_);
    if (settings.netns != settings_.netns) {
      hooks_.log(LogLevel::kWarn, "collect.netns changed from \"" +
                                      settings_.netns + "\" to \"" +
                                      settings.netns +
                                      "\": takes effect after a restart");
    }
    const std::string netns = settings_.netns;
    settings_ = settings;
    settings_.netns = netns;
    reconfigured_ = true;
  }
  wake_.notify_all();
}

void CollectionLoop::Run(const std::stop_token& stop) {
  // Named, so that `top -H` and tests can tell it from the HTTP threads.
  pthread_setname_np(pthread_self(), "collect");
  CollectionSettings settings;
  {
    std::lock_guard lock(mutex_);
    settings = settings_;
  }
  const bool all = settings.netns == kAllNamespaces;
  if (!settings.netns.empty() && !all) {
    try {
      EnterNetns(settings.netns);  // this thread only: scrapes stay put
    } catch (const CollectError& error) {
      {
        std::lock_guard lock(mutex_);
        fatal_ = error.what();
      }
      hooks_.on_news();
      return;
    }
  }
  while (!stop.stop_requested()) {
    const auto started = std::chrono::steady_clock::now();
    if (all) {
      SweepAllNamespaces(settings, stop);
    } else {
      CollectOnce(settings, stop);
    }
    hooks_.watchdog_ping();
    if (!WaitForNext(stop, started, settings)) return;
  }
}

bool CollectionLoop::WaitForNext(const std::stop_token& stop,
                                 std::chrono::steady_clock::time_point started,
                                 CollectionSettings& settings) {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (reconfigured_) {  // set during the collection, or the wait
      reconfigured_ = false;
      settings = settings_;
    }
    // A slow collection: no catch-up burst, the next one starts now.
    const auto next = started + settings.interval;
    if (Clock::now() >= next) return !stop.stop_requested();
    const auto wake_at =
        hooks_.watchdog_period
            ? std::min(next, Clock::now() + *hooks_.watchdog_period)
            : next;
    wake_.wait_until(lock, stop, wake_at, [this] { return reconfigured_; });
    if (stop.stop_requested()) return false;
    if (!reconfigured_ && Clock::now() < next) {
      lock.unlock();
      hooks_.watchdog_ping();  // idle between collections
      lock.lock();
    }
  }
}

void CollectionLoop::Published() {
  if (announced_) return;
  announced_ = true;
  hooks_.on_news();
}

void CollectionLoop::NoteSuccess() {
  if (failures_in_a_row_ > 0) {
    hooks_.log(LogLevel::kInfo, "collection succeeds again after " +
                                    std::to_string(failures_in_a_row_) +
                                    " failures");
  }
  failures_in_a_row_ = 0;
  last_error_.clear();
}

void CollectionLoop::NoteFailure(CollectErrorReason reason,
                                 const std::string& message,
                                 const std::string& where) {
  ++failures_in_a_row_;
  if (message + where != last_error_) {
    hooks_.log(LogLevel::kError, "collection failed (" +
                                     std::string(ReasonName(reason)) + ")" +
                                     where + ": " + message);
    last_error_ = message + where;
  }
}

std::optional<ChurnReading> CollectionLoop::ReadEvents() {
  if (!hooks_.events) return std::nullopt;
  ChurnReading reading = hooks_.events->Read();
  store_.RecordEvents(reading.status, reading.losses);
  return reading;
}

OwnerLookup CollectionLoop::Owners(const CollectionSettings& settings) {
  const RuntimeStateDirs& dirs = settings.runtime_dirs;
  if (!containers_ || dirs != containers_dirs_) {
    containers_.emplace(dirs);
    containers_dirs_ = dirs;
  }
  return {cgroup_paths_, *containers_};
}

void CollectionLoop::CollectOnce(const CollectionSettings& settings,
                                 const std::stop_token& stop) {
  const auto started = std::chrono::steady_clock::now();
  cgroup_paths_.NewCollection();
  const auto fail = [&](CollectErrorReason reason, const char* message) {
    NoteFailure(reason, message, "");
    store_.RecordFailure(reason, std::chrono::steady_clock::now() - started);
  };
  try {
    // The program sees every namespace: it counts ours only, and is told
    // its listeners.
    const auto ours = hooks_.events ? CurrentNetnsInode() : std::nullopt;
    if (ours) hooks_.events->CountOnly(*ours);
    const auto churn = ReadEvents();
    auto snapshot = single_.Collect(settings.watch, nullptr, Owners(settings),
                                    stop, churn ? &*churn : nullptr);
    if (ours) hooks_.events->NoteListeners(*ours, snapshot->listening);
    NoteSuccess();
    store_.Publish(std::move(snapshot));
    Published();
  } catch (const CollectError& error) {
    fail(error.reason(), error.what());
  } catch (const std::exception& error) {
    fail(CollectErrorReason::kInternal, error.what());
  }
}

void CollectionLoop::SweepAllNamespaces(const CollectionSettings& settings,
                                        const std::stop_token& stop) {
  const auto started = std::chrono::steady_clock::now();
  cgroup_paths_.NewCollection();
  const OwnerLookup owners = Owners(settings);
  std::unordered_set<std::uint64_t> collected;
  Sweep sweep;
  const auto churn = ReadEvents();
  try {
    // Empty namespaces get no series of their own (nor a dump), unless
    // the event source has counted churn in them.
    const std::vector<NetworkNamespace> listed =
        HostSweep::List(owners.containers);
    if (hooks_.events) ForgetGoneNamespaces(*hooks_.events, listed);
    sweep = sweep_.Run(
        listed,
        [&](const NetworkNamespace& netns) {
          collected.insert(netns.inode);
          auto& watcher =
              namespaces_
                  .try_emplace(netns.inode, hooks_.make_source, hooks_.log)
                  .first->second;
          hooks_.watchdog_ping();  // progress, namespace by namespace
          auto snapshot = watcher.Collect(settings.watch, &netns, owners, stop,
                                          churn ? &*churn : nullptr);
          if (hooks_.events) {
            hooks_.events->NoteListeners(netns.inode, snapshot->listening);
          }
          return snapshot;
        },
        stop, churn ? NamespacesWithChurn(*churn) : NetnsInodes{});
  } catch (const CollectError& error) {
    NoteFailure(error.reason(), error.what(), "");
    store_.RecordFailure(error.reason(),
                         std::chrono::steady_clock::now() - started);
    return;
  }
  if (stop.stop_requested()) return;  // a partial sweep is not published
  for (const NamespaceResult& result : sweep.results) {
    if (result.error) {
      NoteFailure(*result.error, result.message,
                  " in netns " + result.netns.Label());
    }
  }
  // Trackers and detectors of namespaces that are gone go with them.
  std::erase_if(namespaces_, [&](const auto& entry) {
    return !collected.contains(entry.first);
  });
  const bool all_good = std::none_of(
      sweep.results.begin(), sweep.results.end(),
      [](const NamespaceResult& r) { return r.error.has_value(); });
  if (all_good) NoteSuccess();
  FoldQuietNamespaces(sweep, settings.max_netns);
  sweep.duration = std::chrono::steady_clock::now() - started;
  store_.PublishSweep(sweep);
  // A host whose namespaces are all empty has collected them all.
  if (store_.HasSnapshot() || sweep.empty > 0) Published();
}

}  // namespace tcpstated
