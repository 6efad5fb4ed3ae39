#include "service/folder_walk.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "service_test_env.h"

namespace regie::service {
namespace {

class FolderWalkTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    admin_ = *auth_->Verify("admin", "admin-password", "127.0.0.1");
    for (const auto& folder : {"a", "a/b", "a/c", "a/c/deep"}) Mkdir(folder);
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"a/x", "x-bytes"}, {"a/b/y", "y-bytes"}, {"z", "z-bytes"}}) {
      Put(path, body);
    }
  }

  FileTarget At(const std::string& path) {
    std::vector<std::string> segments;
    for (std::size_t at = 0; at < path.size();) {
      const auto slash = std::min(path.find('/', at), path.size());
      segments.push_back(path.substr(at, slash - at));
      at = slash + 1;
    }
    auto target = files_->Resolve(admin_, "admin", segments);
    EXPECT_TRUE(target);
    return *target;
  }
  void Mkdir(const std::string& path) { ASSERT_TRUE(files_->MakeFolder(At(path))); }
  void Put(const std::string& path, const std::string& body) {
    auto upload = files_->BeginUpload(At(path), {}, body.size(), "text/plain");
    ASSERT_TRUE(upload);
    ASSERT_TRUE((*upload)->Write(body));
    ASSERT_TRUE((*upload)->Commit());
  }

  // Every path the walk yields, with a file's bytes after '='.
  std::vector<std::string> Walk(const std::string& start, std::size_t page_size) {
    FolderWalk walk(*files_, At(start), page_size);
    std::vector<std::string> out;
    for (;;) {
      auto next = walk.Next();
      EXPECT_TRUE(next);
      if (!next || !*next) return out;
      std::string line = (*next)->path;
      if (const auto* item = std::get_if<model::Item>(&(*next)->member)) {
        auto reader = walk.Open(*item);
        EXPECT_TRUE(reader);
        std::string bytes(item->size, '\0');
        EXPECT_EQ(*(*reader)->Read(bytes), item->size);
        line += "=" + bytes;
      }
      out.push_back(line);
    }
  }

  Caller admin_;
};

TEST_F(FolderWalkTest, YieldsEachFolderBeforeItsMembersInNameOrder) {
  const std::vector<std::string> expected = {"a",        "a/b",         "a/b/y=y-bytes", "a/c",
                                             "a/c/deep", "a/x=x-bytes", "z=z-bytes"};
  EXPECT_EQ(Walk("", 100), expected);
  // One member per page: every folder is listed again after a descent, and nothing repeats.
  EXPECT_EQ(Walk("", 1), expected);
}

TEST_F(FolderWalkTest, WalksBelowASubfolderWithRelativePaths) {
  EXPECT_EQ(Walk("a/c", 2), std::vector<std::string>{"deep"});
  EXPECT_EQ(Walk("a/c/deep", 2), std::vector<std::string>{});
}

}  // namespace
}  // namespace regie::service
