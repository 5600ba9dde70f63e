#include <gtest/gtest.h>

#include "tcpstated/metrics/snapshot_store.h"

namespace tcpstated {
namespace {

NamespaceResult Collected(std::uint64_t inode, std::uint32_t established) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->netns = NetworkNamespace{inode, "", "", {}};
  snapshot->families[0][Index(TcpState::kEstablished)] = established;
  return {*snapshot->netns, std::move(snapshot), std::nullopt, ""};
}

TEST(FoldQuietNamespacesTest, KeepsTheBusiestAndSumsTheRestAsOther) {
  Sweep sweep;
  for (std::uint64_t i = 1; i <= 5; ++i) {
    sweep.results.push_back(Collected(i, static_cast<std::uint32_t>(i * 10)));
  }
  NamespaceResult failed{NetworkNamespace{9, "", "", {}}, nullptr,
                         CollectErrorReason::kNamespace, "gone"};
  sweep.results.push_back(failed);
  FoldQuietNamespaces(sweep, 2);
  ASSERT_EQ(sweep.results.size(), 4u);  // two, "other", the failed one
  EXPECT_EQ(sweep.results[0].netns.inode, 5u);
  EXPECT_EQ(sweep.results[1].netns.inode, 4u);
  EXPECT_EQ(sweep.results[2].netns.Label(), "other");
  EXPECT_EQ(Total(sweep.results[2].snapshot->Totals()), 10u + 20 + 30);
  EXPECT_EQ(sweep.results[3].netns.inode, 9u);  // kept: shown stale
  EXPECT_EQ(sweep.folded, 3u);
}

TEST(FoldQuietNamespacesTest, UnderTheCapNothingChanges) {
  Sweep sweep;
  sweep.results.push_back(Collected(1, 1));
  sweep.results.push_back(Collected(2, 5));
  FoldQuietNamespaces(sweep, 2);
  ASSERT_EQ(sweep.results.size(), 2u);
  EXPECT_EQ(sweep.results[0].netns.inode, 1u);  // order kept
  EXPECT_EQ(sweep.folded, 0u);
}

}  // namespace
}  // namespace tcpstated
