package dev.agentry.api.support;

/** Helpers for text that came from outside (a runtime's output, an exception message) before it is stored. */
public final class Text {

    private Text() {}

    /** At most {@code max} characters of {@code text}, with an ellipsis when it was cut. */
    public static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
