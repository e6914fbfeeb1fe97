package dev.agentry.manifests;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads: what is left once strings, matchers, ranges and groupings are out. */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "on",
            "ignoring",
            "by",
            "without",
            "group_left",
            "group_right",
            "inf",
            "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {}

    static Set<String> metricNames(String expression) {
        String rest = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = rest.substring(identifier.end()).stripLeading().startsWith("(");
            boolean number = identifier.start() > 0 && Character.isDigit(rest.charAt(identifier.start() - 1));
            if (!function && !number && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }
}
