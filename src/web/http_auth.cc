// Basic auth: a remembered password is a lookup; anything else is a bcrypt
// check on the verifier's thread, with the connection suspended meanwhile,
// within the client's share of the queue and of failed guesses.
#include "http_request.h"
#include "request_headers.h"

namespace tcpstated {
namespace {

MHD_Result Refusal(MHD_Connection* connection, AuthState state,
                   const FrontSettings& settings) {
  switch (state) {
    case AuthState::kDenied:
      return Text(connection, MHD_HTTP_UNAUTHORIZED, "Unauthorized\n",
                  settings);
    case AuthState::kSlowed:
      return Text(connection, MHD_HTTP_TOO_MANY_REQUESTS,
                  "Too many wrong passwords from this address; wait\n",
                  settings);
    default:
      return Text(connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                  "Too many password checks at once\n", settings);
  }
}

}  // namespace

bool Authorized(MHD_Connection* connection, FrontState& front, Request& request,
                MHD_Result& result) {
  const FrontSettings& settings = *request.settings;
  if (!settings.auth) return true;
  const AuthState state = request.auth.load();
  if (state == AuthState::kAllowed) return true;
  if (state == AuthState::kWaiting) {
    result = MHD_YES;
    return false;
  }
  if (state != AuthState::kUnchecked) {
    result = Refusal(connection, state, settings);
    return false;
  }
  const char* header = MHD_lookup_connection_value(
      connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  auto credentials =
      header == nullptr ? std::nullopt : ParseBasicAuthorization(header);
  if (!credentials) {
    result = Refusal(connection, AuthState::kDenied, settings);
    return false;
  }
  std::string key = settings.auth->CacheKey(*credentials);
  if (front.verified.Contains(key)) return true;
  const auto allowance =
      front.backoff.Take(request.client, FailureBackoff::Clock::now());
  if (allowance == FailureBackoff::Verdict::kRefused) {
    result = Refusal(connection, AuthState::kSlowed, settings);
    return false;
  }
  // Suspended first: the verifier may finish (and resume) at once.
  request.auth = AuthState::kWaiting;
  MHD_suspend_connection(connection);
  const auto outcome = front.verifier.Submit(
      request.client, allowance == FailureBackoff::Verdict::kTrusted,
      settings.auth, std::move(*credentials),
      [connection, &front, &request, key = std::move(key)](bool allowed) {
        try {
          if (allowed) {
            front.verified.Insert(key);
            front.backoff.GiveBack(request.client);
          }
        } catch (...) {  // out of memory: not remembered, still allowed
        }
        request.auth = allowed ? AuthState::kAllowed : AuthState::kDenied;
        MHD_resume_connection(connection);
      });
  if (outcome != AuthVerifier::Outcome::kQueued) {
    front.backoff.GiveBack(request.client);  // no check was made
    request.auth = outcome == AuthVerifier::Outcome::kClientBusy
                       ? AuthState::kSlowed
                       : AuthState::kBusy;
    MHD_resume_connection(connection);
  }
  result = MHD_YES;
  return false;
}

}  // namespace tcpstated
