#pragma once
// Text for XML, the one escaper for every document voiceops writes (TwiML, JUnit): markup
// characters become entities; control characters, invalid UTF-8, C1 controls and the
// non-characters U+FFFE/U+FFFF are dropped, so the result is always well-formed XML 1.0. In
// an attribute (`attribute` true) tab and newline become character references, which XML
// parsers would otherwise normalise to spaces.
#include <string>
#include <string_view>

namespace voiceops {

std::string xml_escape(std::string_view text, bool attribute = false);

}  // namespace voiceops
