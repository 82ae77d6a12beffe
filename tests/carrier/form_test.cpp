#include <catch2/catch.hpp>

#include <random>

#include "carrier/form.hpp"

using namespace voiceops::carrier;

namespace {
FormParams decoded(std::string_view body) {
  auto result = decode_form(body);
  INFO(body);
  REQUIRE(result);
  return *result;
}
FormError failure(std::string_view body) {
  auto result = decode_form(body);
  INFO(body);
  REQUIRE_FALSE(result);
  return result.error();
}
}  // namespace

TEST_CASE("form: a carrier webhook body decodes in order", "[form]") {
  const auto params = decoded(
      "AccountSid=AC123&CallSid=CA456&From=%2B15125550142&To=%2b15125550100"
      "&SpeechResult=my+AC+stopped+working&Confidence=0.92");
  REQUIRE(params.size() == 6);
  CHECK(params[0] == FormParam{"AccountSid", "AC123"});
  CHECK(params[2] == FormParam{"From", "+15125550142"});
  CHECK(params[3] == FormParam{"To", "+15125550100"});  // lower-case hex too
  CHECK(params[4] == FormParam{"SpeechResult", "my AC stopped working"});
  CHECK(*find_param(params, "Confidence") == "0.92");
  CHECK(find_param(params, "Digits") == nullptr);
}

TEST_CASE("form: repeated names, empty values and odd fields", "[form]") {
  CHECK(decoded("").empty());
  CHECK(decoded("&&&").empty());
  CHECK(decoded("a=1&a=2&a=1") ==
        FormParams{{"a", "1"}, {"a", "2"}, {"a", "1"}});  // repeated names kept, in order
  CHECK(decoded("Digits=&flag&=x&&b=1&") ==
        FormParams{{"Digits", ""}, {"flag", ""}, {"", "x"}, {"b", "1"}});
  CHECK(decoded("q=a=b%3Dc") == FormParams{{"q", "a=b=c"}});
  CHECK(decoded("sp%20ace+name=%26%25") == FormParams{{"sp ace name", "&%"}});
  CHECK(decoded("n=%00") == FormParams{{"n", std::string(1, '\0')}});
  CHECK(decoded("Body=Ol%C3%A1+%F0%9F%91%8B+caf\xc3\xa9") ==
        FormParams{{"Body", "Ol\xc3\xa1 \xf0\x9f\x91\x8b caf\xc3\xa9"}});
}

TEST_CASE("form: a bad percent escape is reported at its byte offset", "[form]") {
  for (const auto& [body, offset] : {std::pair<std::string_view, std::size_t>{"a=%zz", 2},
                                     {"a=1&b=x%4", 7},
                                     {"%", 0},
                                     {"a=%4&b=1", 2},
                                     {"ok=1&n%g1=2", 6},
                                     {"a=%%41", 2}}) {
    const FormError error = failure(body);
    CHECK(error.kind == FormErrorKind::bad_percent_escape);
    CHECK(error.offset == offset);
    CHECK(error.message.find("at byte offset " + std::to_string(offset)) != std::string::npos);
  }
}

TEST_CASE("form: names and values must be UTF-8 once decoded", "[form]") {
  FormError error = failure("a=1&b=%C3%28");
  CHECK(error.kind == FormErrorKind::invalid_utf8);
  CHECK(error.offset == 6);
  error = failure("x%FF=1");
  CHECK(error.kind == FormErrorKind::invalid_utf8);
  CHECK(error.offset == 0);
  CHECK(failure("a=\xff").kind == FormErrorKind::invalid_utf8);
  CHECK(failure("a=%ED%A0%80").kind == FormErrorKind::invalid_utf8);  // a surrogate
  CHECK(failure("a=%C0%AF").kind == FormErrorKind::invalid_utf8);     // overlong
}

TEST_CASE("form: limits on parameters and sizes", "[form]") {
  std::string body;
  for (std::size_t i = 0; i < max_form_parameters; ++i) body += "p" + std::to_string(i) + "=v&";
  CHECK(decoded(body).size() == max_form_parameters);
  const std::size_t next = body.size();
  body += "one=more";
  const FormError error = failure(body);
  CHECK(error.kind == FormErrorKind::too_many_parameters);
  CHECK(error.offset == next);

  const std::string largest(max_form_field_bytes, 'x');
  CHECK(decoded("v=" + largest).front().value.size() == max_form_field_bytes);
  CHECK(decoded(largest + "=1").front().name.size() == max_form_field_bytes);
  CHECK(failure("a=1&v=" + largest + "x").kind == FormErrorKind::value_too_long);
  CHECK(failure("a=1&v=" + largest + "x").offset == 6);
  CHECK(failure(largest + "y=1").kind == FormErrorKind::name_too_long);
  // The limit is on the decoded size: 64 KiB of %41 is 3 times as many bytes, and fine.
  std::string escaped;
  for (std::size_t i = 0; i < max_form_field_bytes; ++i) escaped += "%41";
  CHECK(decoded("v=" + escaped).front().value == std::string(max_form_field_bytes, 'A'));
}

TEST_CASE("form: encoding is quote_plus and round-trips", "[form]") {
  CHECK(encode_form_component("a b&c=d/\xc3\xa9~_.-+%") == "a+b%26c%3Dd%2F%C3%A9~_.-%2B%25");
  CHECK(encode_form({}) == "");
  const FormParams params{{"From", "+15125550142"},
                          {"Speech Result", "21 Oak St & co"},
                          {"Digits", ""},
                          {"a", "1"},
                          {"a", "2"},
                          {"", "=&"}};
  const std::string body = encode_form(params);
  CHECK(body == "From=%2B15125550142&Speech+Result=21+Oak+St+%26+co&Digits=&a=1&a=2&=%3D%26");
  CHECK(decoded(body) == params);

  std::mt19937 random(20261122);
  const std::vector<std::string> pieces{
      "a", "Z", " ", "+", "%", "&", "=", "\xc3\xa9", "\xf0\x9f\x93\x9e", "\n", std::string(1, '\0'),
      "~"};
  for (int round = 0; round < 200; ++round) {
    FormParams random_params(random() % 6);
    for (auto& p : random_params) {
      for (unsigned k = random() % 5; k > 0; --k) p.name += pieces[random() % pieces.size()];
      for (unsigned k = random() % 8; k > 0; --k) p.value += pieces[random() % pieces.size()];
    }
    // An empty name with an empty value encodes as "=", which decodes back the same.
    CHECK(decoded(encode_form(random_params)) == random_params);
  }
}
