#include "tcpstated/detect/diagnosis.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

TEST(DiagnoseTest, NamesTheCauseAndTheFirstCheck) {
  Pileup close_wait{
      TcpState::kCloseWait, Direction::kInbound, 8080, 120, 0.1, {}};
  EXPECT_NE(Diagnose(close_wait).find("never calls close()"),
            std::string::npos);
  EXPECT_NE(Diagnose(close_wait).find("8080"), std::string::npos);
  Pileup server_tw{
      TcpState::kTimeWait, Direction::kInbound, 443, 50000, 0.8, {}};
  EXPECT_NE(Diagnose(server_tw).find("keep-alive"), std::string::npos);
  Pileup client_tw{
      TcpState::kTimeWait, Direction::kOutbound, 6379, 50000, 0.8, {}};
  EXPECT_NE(Diagnose(client_tw).find("pooling"), std::string::npos);
  Pileup syn{TcpState::kSynRecv, Direction::kInbound, 80, 500, 0.1, {}};
  EXPECT_NE(Diagnose(syn).find("SYN flood"), std::string::npos);
}

}  // namespace
}  // namespace tcpstated
