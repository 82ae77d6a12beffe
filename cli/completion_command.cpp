// voiceops completion bash|zsh|fish (hidden): shell completion scripts generated from the very
// command tree the parser uses, so they cannot drift from the CLI.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace voiceops::cli {
namespace {

struct OptionInfo {
  std::vector<std::string> names;  // "--format", "-o"
  std::string description;
  bool takes_value = false;
  bool is_file = false;
  std::vector<std::string> choices;
};

struct CommandInfo {
  std::string key;  // "voiceops_contract_validate": the path, joined by _
  std::vector<std::pair<std::string, std::string>> subcommands;  // name, description
  std::vector<OptionInfo> options;
  bool positional_files = false;
  std::string positional_words;  // a command printing the positional's values, one per line
};

// Positionals whose values the CLI itself can list, by their type name.
std::string words_command(const std::string& type) {
  if (type == "INTENT") return "voiceops rollback intents";
  return {};
}

// Choices come from the IsMember validator, which CLI11 shows as "TYPE:{a,b,c}".
std::vector<std::string> choices_of(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const auto open = type.find('{');
  const auto close = type.find('}', open);
  std::vector<std::string> choices;
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::string item;
  for (char c : type.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      choices.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  if (!item.empty()) choices.push_back(item);
  return choices;
}

void collect(const CLI::App& app, const std::string& key, std::vector<CommandInfo>& out) {
  CommandInfo info;
  info.key = key;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) {
      const std::string type = option->get_type_name();
      if (type.rfind("FILE", 0) == 0 || type.rfind("DIR", 0) == 0) info.positional_files = true;
      if (info.positional_words.empty()) info.positional_words = words_command(type);
      continue;
    }
    OptionInfo o;
    for (const auto& name : option->get_lnames()) o.names.push_back("--" + name);
    for (const auto& name : option->get_snames()) o.names.push_back("-" + name);
    o.description = option->get_description();
    o.takes_value = option->get_items_expected_max() > 0;
    o.choices = choices_of(*option);
    o.is_file = option->get_type_name().rfind("FILE", 0) == 0;
    info.options.push_back(std::move(o));
  }
  std::vector<const CLI::App*> children;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden commands are not offered
    info.subcommands.emplace_back(sub->get_name(), sub->get_description());
    children.push_back(sub);
  }
  out.push_back(info);
  for (const CLI::App* sub : children) collect(*sub, key + "_" + sub->get_name(), out);
}

std::string join(const std::vector<std::string>& items, const std::string& separator = " ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Shell code that walks the words before the cursor and leaves the command path in $var.
std::string path_walker(const std::vector<CommandInfo>& commands, const std::string& var,
                        const std::string& first_index, const std::string& words) {
  std::string s;
  s += "    local " + var + "=voiceops i w skip=0\n";
  s += "    for ((i = " + first_index + "; i < cword; i++)); do\n";
  s += "        w=${" + words + "[i]}\n";
  s += "        if ((skip)); then skip=0; continue; fi\n";
  s += "        case \"$" + var + ":$w\" in\n";
  std::vector<std::string> value_options, subcommand_steps;
  for (const auto& c : commands) {
    for (const auto& o : c.options) {
      if (!o.takes_value) continue;
      for (const auto& name : o.names) value_options.push_back("\"" + c.key + ":" + name + "\"");
    }
    for (const auto& [name, description] : c.subcommands) {
      subcommand_steps.push_back("            \"" + c.key + ":" + name + "\") " + var + "=" +
                                 c.key + "_" + name + " ;;\n");
    }
  }
  if (!value_options.empty()) s += "            " + join(value_options, "|") + ") skip=1 ;;\n";
  for (const auto& step : subcommand_steps) s += step;
  s += "        esac\n    done\n";
  return s;
}

// How a shell offers an option's value: one of its choices, a file, or nothing.
struct ValueReplies {
  std::function<std::string(const std::string& words)> choices;
  std::string files, nothing;
};

// The `case "$cmd:$prev"` arms for the options that take a value, the same in bash and zsh but
// for what each arm replies.
std::string value_cases(const std::vector<CommandInfo>& commands, const ValueReplies& replies) {
  std::string s = "    case \"$cmd:$prev\" in\n";
  for (const auto& c : commands) {
    for (const auto& o : c.options) {
      if (!o.takes_value) continue;
      std::vector<std::string> keys;
      for (const auto& name : o.names) keys.push_back("\"" + c.key + ":" + name + "\"");
      s += "        " + join(keys, "|") + ")\n            ";
      s += !o.choices.empty() ? replies.choices(join(o.choices))
           : o.is_file        ? replies.files
                              : replies.nothing;
    }
  }
  return s + "    esac\n";
}

std::string bash_script(const std::vector<CommandInfo>& commands) {
  std::string s =
      "# bash completion for voiceops -*- shell-script -*-\n"
      "# Generated by `voiceops completion bash`; regenerate instead of editing.\n"
      "_voiceops() {\n"
      "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} "
      "cword=$COMP_CWORD\n";
  s += path_walker(commands, "cmd", "1", "COMP_WORDS");
  s += value_cases(commands, {[](const std::string& words) {
                                return "COMPREPLY=($(compgen -W \"" + words +
                                       "\" -- \"$cur\")); return ;;\n";
                              },
                              "COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n",
                              "COMPREPLY=(); return ;;\n"});
  s += "    local options=\"\" commands=\"\" files=0 words=\"\"\n    case \"$cmd\" in\n";
  for (const auto& c : commands) {
    std::vector<std::string> option_names, command_names;
    for (const auto& o : c.options)
      option_names.insert(option_names.end(), o.names.begin(), o.names.end());
    for (const auto& [name, description] : c.subcommands) command_names.push_back(name);
    s += "        " + c.key + ") options=\"" + join(option_names) + "\"; commands=\"" +
         join(command_names) + "\"; files=" + (c.positional_files ? "1" : "0") +
         (c.positional_words.empty() ? "" : "; words=\"" + c.positional_words + "\"") + " ;;\n";
  }
  s += "    esac\n"
       "    if [[ $cur == -* ]]; then\n"
       "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
       "    elif [[ -n $commands ]]; then\n"
       "        COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
       "    elif [[ -n $words ]]; then\n"
       "        COMPREPLY=($(compgen -W \"$($words 2>/dev/null)\" -- \"$cur\"))\n"
       "    elif ((files)); then\n"
       "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
       "    fi\n"
       "}\n"
       "complete -o filenames -o bashdefault -F _voiceops voiceops\n";
  return s;
}

std::string zsh_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ':')
      out += "\\:";
    else if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out;
}

std::string zsh_script(const std::vector<CommandInfo>& commands) {
  std::string s =
      "#compdef voiceops\n"
      "# zsh completion for voiceops\n"
      "# Generated by `voiceops completion zsh`; regenerate instead of editing.\n"
      "_voiceops() {\n"
      "    local cur=${words[CURRENT]} prev=${words[CURRENT-1]} cword=$CURRENT\n";
  s += path_walker(commands, "cmd", "2", "words");
  s += value_cases(
      commands, {[](const std::string& words) { return "compadd -- " + words + "; return ;;\n"; },
                 "_files; return ;;\n", "return ;;\n"});
  s += "    case \"$cmd\" in\n";
  for (const auto& c : commands) {
    s += "        " + c.key + ")\n";
    s += "            if [[ $cur == -* ]]; then\n                local -a opts=(";
    std::vector<std::string> items;
    for (const auto& o : c.options) {
      for (const auto& name : o.names)
        items.push_back("'" + zsh_escape(name) + ":" + zsh_escape(o.description) + "'");
    }
    s += join(items) + ")\n                _describe -t options option opts\n";
    if (!c.subcommands.empty()) {
      std::vector<std::string> subs;
      for (const auto& [name, description] : c.subcommands) {
        subs.push_back("'" + zsh_escape(name) + ":" + zsh_escape(description) + "'");
      }
      s += "            else\n                local -a subcommands=(" + join(subs) +
           ")\n"
           "                _describe -t commands command subcommands\n";
    } else if (!c.positional_words.empty()) {
      s += "            else\n                compadd -- ${(f)\"$(" + c.positional_words +
           " 2>/dev/null)\"}\n";
    } else if (c.positional_files) {
      s += "            else\n                _files\n";
    }
    s += "            fi ;;\n";
  }
  s += "    esac\n}\n_voiceops \"$@\"\n";
  return s;
}

std::string fish_script(const std::vector<CommandInfo>& commands) {
  std::string s =
      "# fish completion for voiceops\n"
      "# Generated by `voiceops completion fish`; regenerate instead of editing.\n"
      "function __voiceops_path\n"
      "    set -l words (commandline -opc)\n"
      "    set -l cmd voiceops\n"
      "    set -l skip 0\n"
      "    for w in $words[2..-1]\n"
      "        if test $skip = 1\n            set skip 0\n            continue\n        end\n"
      "        switch \"$cmd:$w\"\n";
  std::vector<std::string> value_options;
  for (const auto& c : commands) {
    for (const auto& o : c.options) {
      if (!o.takes_value) continue;
      for (const auto& name : o.names) value_options.push_back("'" + c.key + ":" + name + "'");
    }
  }
  if (!value_options.empty())
    s += "            case " + join(value_options) + "\n                set skip 1\n";
  for (const auto& c : commands) {
    for (const auto& [name, description] : c.subcommands) {
      s += "            case '" + c.key + ":" + name + "'\n                set cmd " + c.key + "_" +
           name + "\n";
    }
  }
  s += "        end\n    end\n    echo $cmd\nend\n\n";
  s += "complete -c voiceops -f\n";
  for (const auto& c : commands) {
    const std::string condition = "-n 'test (__voiceops_path) = " + c.key + "'";
    for (const auto& [name, description] : c.subcommands) {
      s += "complete -c voiceops " + condition + " -a " + name + " -d " +
           single_quoted(description) + "\n";
    }
    for (const auto& o : c.options) {
      std::string line = "complete -c voiceops " + condition;
      for (const auto& name : o.names) {
        line += name.rfind("--", 0) == 0 ? " -l " + name.substr(2) : " -s " + name.substr(1);
      }
      if (!o.choices.empty())
        line += " -x -a " + single_quoted(join(o.choices));
      else if (o.is_file)
        line += " -r -F";
      else if (o.takes_value)
        line += " -x";
      line += " -d " + single_quoted(o.description);
      s += line + "\n";
    }
    if (!c.positional_words.empty())
      s += "complete -c voiceops " + condition + " -a " +
           single_quoted("(" + c.positional_words + " 2>/dev/null)") + "\n";
    if (c.positional_files) s += "complete -c voiceops " + condition + " -F\n";
  }
  return s;
}

}  // namespace

std::string completion_script(const CLI::App& app, const std::string& shell) {
  std::vector<CommandInfo> commands;
  collect(app, "voiceops", commands);
  if (shell == "bash") return bash_script(commands);
  if (shell == "zsh") return zsh_script(commands);
  return fish_script(commands);
}

void add_completion_command(CLI::App& app, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* command = app.add_subcommand("completion", "Print a shell completion script");
  command->group("");  // hidden: packagers call it, users need not see it
  command->add_option("SHELL", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  command->callback([&context, &app, shell] {
    context.action = [&app, shell] {
      const std::string script = completion_script(app, *shell);
      std::fwrite(script.data(), 1, script.size(), stdout);
      return ExitStatus::ok;
    };
  });
}

}  // namespace voiceops::cli
