#include "service/session_service.h"

#include <gtest/gtest.h>

#include "service/admin_service.h"
#include "service_test_env.h"

namespace regie::service {
namespace {

class SessionServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    sessions_ = MakeSessions(SessionOptions{.idle_timeout = std::chrono::seconds(100),
                                            .max_lifetime = std::chrono::seconds(1000)});
  }

  std::shared_ptr<SessionService> MakeSessions(SessionOptions options) {
    return std::make_shared<SessionService>(store_, auth_, accounts_, options,
                                            std::vector<std::uint8_t>(32, 7),
                                            [this] { return now_; });
  }

  std::int64_t now_ = 1'000'000;
  std::shared_ptr<SessionService> sessions_;
};

TEST_F(SessionServiceTest, SignInGivesASecretThatResumesTheSameCaller) {
  auto in = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(in);
  EXPECT_GE(in->secret.size(), 40u);
  ASSERT_TRUE(in->caller.session);
  auto resumed = sessions_->Resume(in->secret);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->principal.login, "bob");
  EXPECT_EQ(resumed->session->csrf, in->caller.session->csrf);
  EXPECT_EQ(sessions_->Resume(in->secret + "x").error().code, Errc::kUnauthenticated);
  EXPECT_EQ(sessions_->Resume("").error().code, Errc::kUnauthenticated);
}

TEST_F(SessionServiceTest, OnlyTheAccountPasswordSignsIn) {
  auto app = accounts_->AddAppPassword("bob", "phone");
  ASSERT_TRUE(app);
  EXPECT_EQ(sessions_->SignIn("bob", *app, "192.0.2.1").error().code, Errc::kUnauthenticated);
  EXPECT_EQ(sessions_->SignIn("bob", "wrong-one", "192.0.2.1").error().code,
            Errc::kUnauthenticated);
}

TEST_F(SessionServiceTest, AnIdleSessionEndsAndUseKeepsItAlive) {
  auto in = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(in);
  for (int i = 0; i < 5; ++i) {  // 5 × 60 s of use: longer than the 100 s idle timeout.
    now_ += 60;
    ASSERT_TRUE(sessions_->Resume(in->secret)) << i;
  }
  now_ += 100;
  EXPECT_EQ(sessions_->Resume(in->secret).error().code, Errc::kUnauthenticated);
}

TEST_F(SessionServiceTest, ASessionEndsAtItsAbsoluteLifetimeWhateverTheUse) {
  auto in = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(in);
  while (now_ < 1'000'000 + 990) {
    now_ += 30;
    ASSERT_TRUE(sessions_->Resume(in->secret));
  }
  now_ += 30;
  EXPECT_EQ(sessions_->Resume(in->secret).error().code, Errc::kUnauthenticated);
}

TEST_F(SessionServiceTest, PasswordResetAndDisableEndSessionsButAppPasswordRevocationDoesNot) {
  auto a = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(a);
  ASSERT_TRUE(accounts_->AddAppPassword("bob", "phone"));
  ASSERT_TRUE(accounts_->RevokeAppPassword("bob", "phone"));
  EXPECT_TRUE(sessions_->Resume(a->secret));
  ASSERT_TRUE(accounts_->SetPassword("bob", std::string("bob-password-2")));
  EXPECT_FALSE(sessions_->Resume(a->secret));
  auto b = sessions_->SignIn("bob", "bob-password-2", "192.0.2.1");
  ASSERT_TRUE(b);
  ASSERT_TRUE(accounts_->DisableUser("bob"));
  EXPECT_FALSE(sessions_->Resume(b->secret));
}

TEST_F(SessionServiceTest, ChangingThePasswordKeepsOnlyTheCallersSession) {
  auto here = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  auto there = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(here && there);
  EXPECT_EQ(sessions_->ChangePassword(here->caller, "nope-nope", "bob-password-2", "192.0.2.1")
                .error()
                .code,
            Errc::kForbidden);
  EXPECT_EQ(
      sessions_->ChangePassword(here->caller, "bob-password-1", "short", "192.0.2.1").error().code,
      Errc::kInvalidInput);
  ASSERT_TRUE(
      sessions_->ChangePassword(here->caller, "bob-password-1", "bob-password-2", "192.0.2.1"));
  EXPECT_TRUE(sessions_->Resume(here->secret));
  EXPECT_FALSE(sessions_->Resume(there->secret));
  EXPECT_TRUE(auth_->Verify("bob", "bob-password-2", "192.0.2.1"));
}

TEST_F(SessionServiceTest, SignOutEndsOnlyThatSession) {
  auto a = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  auto b = sessions_->SignIn("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(sessions_->SignOut(a->secret));
  ASSERT_TRUE(sessions_->SignOut(a->secret));  // Idempotent.
  EXPECT_FALSE(sessions_->Resume(a->secret));
  EXPECT_TRUE(sessions_->Resume(b->secret));
}

class AdminServiceTest : public SessionServiceTest {
 protected:
  void SetUp() override {
    SessionServiceTest::SetUp();
    admin_ = std::make_shared<AdminService>(store_, auth_, accounts_);
    ASSERT_TRUE(accounts_->AddOrg("museum", {}, 0));
    ASSERT_TRUE(accounts_->AddUser(
        NewUser{"head", "museum", model::Role::kOrgAdmin, "", 0, std::string("head-password-1")}));
    ASSERT_TRUE(accounts_->AddUser(
        NewUser{"ines", "museum", model::Role::kMember, "", 0, std::string("ines-password-1")}));
  }

  Caller As(std::string_view login, std::string_view password) {
    return *auth_->Verify(login, password, "192.0.2.1");
  }

  std::shared_ptr<AdminService> admin_;
};

TEST_F(AdminServiceTest, OperatorsSeeEveryOrganisationOrgAdminsTheirOwnMembersNone) {
  EXPECT_EQ(admin_->ListOrgs(As("admin", "admin-password"))->size(), 2u);
  auto own = admin_->ListOrgs(As("head", "head-password-1"));
  ASSERT_TRUE(own);
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ(own->front().org.name, "museum");
  EXPECT_EQ(own->front().users, 2u);
  EXPECT_EQ(admin_->ListOrgs(As("bob", "bob-password-1")).error().code, Errc::kForbidden);
}

TEST_F(AdminServiceTest, AnOrgAdminCannotReachOtherOrganisationsOrOperators) {
  const Caller head = As("head", "head-password-1");
  EXPECT_EQ(admin_->ResetPassword(head, "bob", std::nullopt).error().code, Errc::kNotFound);
  EXPECT_EQ(admin_->ResetPassword(head, "admin", std::nullopt).error().code, Errc::kNotFound);
  EXPECT_EQ(admin_->AddUser(head, NewUser{"x", "default"}).error().code, Errc::kNotFound);
  EXPECT_EQ(admin_->AddUser(head, NewUser{"x", "museum", model::Role::kOperator}).error().code,
            Errc::kForbidden);
  EXPECT_EQ(admin_->AddOrg(head, "other", {}, 0).error().code, Errc::kForbidden);
  ASSERT_TRUE(admin_->ChangeUser(head, "ines", UserChange{.quota = 5000}));
  auto users = admin_->ListUsers(head, std::nullopt);
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  for (const auto& u : *users) EXPECT_EQ(u.org, "museum");
  EXPECT_TRUE(admin_->ResetPassword(head, "ines", std::string("ines-password-2")));
}

TEST_F(AdminServiceTest, AStaleAdministratorIsRefused) {
  const Caller head = As("head", "head-password-1");
  ASSERT_TRUE(accounts_->DisableUser("head"));
  EXPECT_EQ(admin_->ListUsers(head, std::nullopt).error().code, Errc::kUnauthenticated);
}

}  // namespace
}  // namespace regie::service
