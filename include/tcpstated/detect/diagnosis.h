#pragma once

#include <string>

#include "tcpstated/model/pileup.h"

namespace tcpstated {

// The likely cause of a pileup and the first thing to check, for operators.
std::string Diagnose(const Pileup& pileup);

}  // namespace tcpstated
