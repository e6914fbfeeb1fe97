package dev.agentry.api.support;

/** Helpers for text that came from outside (a runtime's output, an exception message) before it is stored. */
public final class Text {

    private static final byte[] NUL_ESCAPE = {'u', '0', '0', '0', '0'};

    private Text() {}

    /** At most {@code max} characters of {@code text}, with an ellipsis when it was cut. */
    public static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /**
     * The JSON document with every {@code \u0000} escape turned into {@code \ufffd}: PostgreSQL's text and jsonb
     * refuse NUL, so one NUL a runtime printed would otherwise make the event impossible to store. An escaped
     * backslash followed by {@code u0000} is text, not a NUL, and stays. Answers the same array when there is none.
     */
    public static byte[] withoutNulEscapes(byte[] json) {
        byte[] out = json;
        for (int i = 0; i + NUL_ESCAPE.length < json.length; i++) {
            if (json[i] != '\\') {
                continue;
            }
            int run = 1;
            while (i + run < json.length && json[i + run] == '\\') {
                run++;
            }
            // Pairs of backslashes are escaped backslashes; only an odd one out starts an escape.
            int escape = i + run - 1;
            i = escape;
            if (run % 2 == 1 && startsWithNul(json, escape + 1)) {
                if (out == json) {
                    out = json.clone();
                }
                out[escape + 2] = 'f';
                out[escape + 3] = 'f';
                out[escape + 4] = 'f';
                out[escape + 5] = 'd';
            }
        }
        return out;
    }

    private static boolean startsWithNul(byte[] json, int at) {
        if (at + NUL_ESCAPE.length > json.length) {
            return false;
        }
        for (int k = 0; k < NUL_ESCAPE.length; k++) {
            if (json[at + k] != NUL_ESCAPE[k]) {
                return false;
            }
        }
        return true;
    }
}
