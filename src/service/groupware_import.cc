// Imports and exports of whole calendars (.ics) and address books (.vcf).
#include <algorithm>
#include <cctype>

#include "base/crypto.h"
#include "formats/ical/calendar_merge.h"
#include "service/groupware_properties.h"
#include "service/groupware_service.h"

namespace regie::service {
namespace {

// A resource name for a UID: kept when it is plain, else a digest (UIDs may hold '/', spaces
// or be very long).
std::string NameForUid(std::string_view uid, std::string_view extension) {
  const bool plain =
      !uid.empty() && uid.size() <= 200 &&
      std::all_of(uid.begin(), uid.end(),
                  [](unsigned char c) {
                    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@';
                  }) &&
      uid.front() != '.';
  std::string name =
      plain ? std::string(uid) : model::BlobHash{Sha256::Of(uid)}.Hex().substr(0, 40);
  return name.append(extension);
}

// A UID for a vCard without one, derived from its text so that importing the same file twice
// names the card the same way.
std::string MadeUpUid(std::string_view text) {
  return "import-" + model::BlobHash{Sha256::Of(text)}.Hex();
}

// Adds "UID:<uid>" after the VERSION line of a vCard.
std::string WithUid(std::string_view card, std::string_view uid) {
  std::string out(card);
  const auto version = out.find("VERSION:");
  const auto line_end = version == std::string::npos ? std::string::npos : out.find('\n', version);
  if (line_end == std::string::npos) return out;
  out.insert(line_end + 1, "UID:" + std::string(uid) + "\r\n");
  return out;
}

}  // namespace

Result<ImportReport> GroupwareService::Import(std::string_view owner_login,
                                              model::CollectionKind kind,
                                              std::string_view collection, std::string_view text) {
  auto target = ResolveForOwner(owner_login, kind, {std::string(collection)});
  if (!target) return Fail(target.error());
  if (!target->collection) {
    if (auto made = MakeCollection(*target, {}); !made) return Fail(made.error());
    target = ResolveForOwner(owner_login, kind, {std::string(collection)});
    if (!target) return Fail(target.error());
  }
  struct Piece {
    std::string uid;
    std::string text;
  };
  std::vector<Piece> pieces;
  ImportReport report;
  const bool calendar = kind == model::CollectionKind::kCalendar;
  if (calendar) {
    auto split = formats::ical::SplitCalendar(text, limits_.calendar);
    if (!split) return Fail(split.error());
    for (auto& object : split->objects) pieces.push_back({object.uid, std::move(object.text)});
    report.refused = std::move(split->refused);
  } else {
    auto split = formats::vcard::SplitVcards(text, limits_.vcard);
    for (auto& card : split.cards) {
      if (card.uid.empty()) {
        card.uid = MadeUpUid(card.text);
        card.text = WithUid(card.text, card.uid);
      }
      pieces.push_back({card.uid, std::move(card.text)});
    }
    report.refused = std::move(split.refused);
  }
  for (auto& piece : pieces) {
    GroupwareTarget object = *target;
    object.object_name = NameForUid(piece.uid, calendar ? ".ics" : ".vcf");
    auto written = PutObject(object, std::move(piece.text), {}, model::Preconditions{});
    if (written) {
      ++report.taken;
    } else {
      const Error& e = written.error();
      report.refused.push_back("UID " + piece.uid + ": " +
                               (e.detail.empty() ? std::string(ErrcName(e.code)) : e.detail));
    }
  }
  return report;
}

Result<std::string> GroupwareService::Export(const GroupwareTarget& target) {
  if (!target.collection || !target.names_collection()) {
    return Fail(Errc::kNotFound, "export of no collection", "not found");
  }
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  std::vector<std::string> texts;
  std::string after;
  for (;;) {
    auto page = (*txn)->ListMembers(target.org.id, target.collection->id, after, 500);
    if (!page) return Fail(page.error());
    if (page->empty()) break;
    for (const auto& member : *page) {
      const auto* item = std::get_if<model::Item>(&member);
      if (item == nullptr) continue;
      auto text = TextOf(**txn, target.org, *item);
      if (!text) return Fail(text.error());
      texts.push_back(std::move(*text));
    }
    after = std::visit([](const auto& m) { return m.name; }, page->back());
  }
  if (target.kind == model::CollectionKind::kAddressBook) {
    std::string out;
    for (auto& text : texts) {
      out.append(text);
      if (!out.ends_with('\n')) out.append("\r\n");
    }
    return out;
  }
  auto properties = (*txn)->ListProperties(target.org.id, model::ResourceId{target.collection->id});
  if (!properties) return Fail(properties.error());
  std::string name = target.collection_name;
  if (const auto* display = groupware_detail::FindProperty(
          *properties, {std::string(groupware_detail::kDavNs), "displayname"})) {
    name = groupware_detail::PropertyText(display->value).value_or(name);
  }
  return formats::ical::MergeCalendars(texts, name);
}

}  // namespace regie::service
