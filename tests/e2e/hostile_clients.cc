#include "hostile_clients.h"

#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "process.h"

namespace tcpstated::testing {

std::string ClientHello() {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) return "";
  gnutls_certificate_credentials_t credentials;
  gnutls_certificate_allocate_credentials(&credentials);
  gnutls_session_t session;
  gnutls_init(&session, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
  gnutls_set_default_priority(session);
  gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials);
  gnutls_server_name_set(session, GNUTLS_NAME_DNS, "localhost", 9);
  gnutls_transport_set_int(session, pair[0]);
  fcntl(pair[0], F_SETFL, O_NONBLOCK);
  gnutls_handshake(session);  // sends the hello, then would block
  char buffer[4096];
  const ssize_t got = recv(pair[1], buffer, sizeof buffer, MSG_DONTWAIT);
  gnutls_deinit(session);
  gnutls_certificate_free_credentials(credentials);
  close(pair[0]);
  close(pair[1]);
  return got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : "";
}

ConnectionFlood::ConnectionFlood(int port,
                                 const std::vector<std::string>& addresses,
                                 int per_address, std::string hello)
    : port_(port), hello_(std::move(hello)) {
  for (const auto& address : addresses) {
    for (int i = 0; i < per_address; ++i) slots_.push_back({-1, address});
  }
  for (auto& slot : slots_) Open(slot);
  thread_ = std::thread([this] { Run(); });
}

ConnectionFlood::~ConnectionFlood() {
  stop_ = true;
  thread_.join();
  for (auto& slot : slots_) close(slot.fd);
}

void ConnectionFlood::Open(Slot& slot) {
  slot.fd = ConnectTo(port_, From(slot.address));
  if (slot.fd >= 0 && !hello_.empty()) {
    send(slot.fd, hello_.data(), hello_.size(), MSG_NOSIGNAL);
  }
}

void ConnectionFlood::Run() {
  while (!stop_) {
    std::vector<pollfd> watched;
    for (const auto& slot : slots_) watched.push_back({slot.fd, POLLIN, 0});
    poll(watched.data(), watched.size(), 100);
    int open = 0;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      char buffer[4096];
      // The server's handshake answer is read and dropped; an end (or an
      // error) means the server closed it.
      const bool gone =
          slots_[i].fd < 0 ||
          ((watched[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
           recv(slots_[i].fd, buffer, sizeof buffer, MSG_DONTWAIT) <= 0);
      if (gone) {
        close(slots_[i].fd);
        Open(slots_[i]);
        ++reconnects_;
      }
      open += slots_[i].fd >= 0;
    }
    open_ = open;
  }
}

double CpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), {});
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  // Fields from 3 (the state) on; 14 and 15 are utime and stime.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace tcpstated::testing
