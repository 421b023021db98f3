// The README's configuration reference is generated from the schema; this
// keeps the two from drifting apart.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "neurevo/config.h"

TEST(Readme, ConfigurationTableMatchesTheSchema) {
  std::ifstream in(NEUREVO_TEST_DATA_DIR "/../../README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find(neurevo::ConfigReferenceMarkdown()), std::string::npos)
      << "README.md's configuration table is out of date: regenerate it with "
         "`neurevo config --markdown`";
}
