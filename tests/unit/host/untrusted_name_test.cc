#include "tcpstated/host/untrusted_name.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(SanitizeNameTest, PlainNamesPassUnchanged) {
  EXPECT_EQ(SanitizeName("nginx.service"), "nginx.service");
  EXPECT_EQ(SanitizeName("caf\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC"),
            "caf\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC");
  EXPECT_EQ(SanitizeName("a\"b\\c"), "a\"b\\c");  // escaped by serializers
  EXPECT_EQ(SanitizeName(""), "");
}

TEST(SanitizeNameTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(SanitizeName("rt-bad\xff\xfeutf.scope"),
            "rt-bad" + kFffd + kFffd + "utf.scope");
  EXPECT_EQ(SanitizeName("\xC0\xAF"), kFffd + kFffd);              // overlong
  EXPECT_EQ(SanitizeName("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // surrogate
  EXPECT_EQ(SanitizeName("x\xE6\x97"), "x" + kFffd + kFffd);       // truncated
}

TEST(SanitizeNameTest, ControlCharactersAndEscapesAreReplaced) {
  EXPECT_EQ(SanitizeName("a\x1b[2J"), "a" + kFffd + "[2J");
  EXPECT_EQ(SanitizeName("line\nbreak\ttab\x7f"),
            "line" + kFffd + "break" + kFffd + "tab" + kFffd);
  EXPECT_EQ(SanitizeName("c1\xC2\x9B"), "c1" + kFffd);
  EXPECT_EQ(SanitizeName("rtl\xE2\x80\xAEgpj.exe"), "rtl" + kFffd + "gpj.exe");
  EXPECT_EQ(SanitizeName(std::string("nul\0x", 5)), "nul" + kFffd + "x");
}

TEST(SanitizeNameTest, LongNamesAreCutAtACharacterBoundary) {
  EXPECT_EQ(SanitizeName("0123456789", 10), "0123456789");
  EXPECT_EQ(SanitizeName("0123456789A", 10), "0123456\xE2\x80\xA6");
  // A 3-byte character straddling the cut is dropped whole.
  EXPECT_EQ(SanitizeName("abcde\xE6\x97\xA5xyz", 10), "abcde\xE2\x80\xA6");
  EXPECT_LE(SanitizeName(std::string(1 << 20, 'a'), 256).size(), 256u);
}

}  // namespace
}  // namespace tcpstated
