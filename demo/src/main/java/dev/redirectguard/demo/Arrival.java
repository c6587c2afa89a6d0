package dev.redirectguard.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one request brought to a redirect's target: method, body, Content-Type, and whether the
 * credentials came along. Header values are not kept: whether they arrived is the point.
 *
 * @param body        the body as text, empty when there was none
 * @param contentType the Content-Type header, or null when absent
 */
record Arrival(String method, String body, String contentType, boolean authorization, boolean cookie) {

    /** The fields in which {@code this} differs from {@code expected}. */
    List<Field> differencesFrom(Arrival expected) {
        List<Field> fields = new ArrayList<>();
        if (!method.equals(expected.method)) {
            fields.add(Field.REQUEST);
        }
        if (!body.equals(expected.body)) {
            fields.add(Field.BODY);
        }
        if (!Objects.equals(contentType, expected.contentType)) {
            fields.add(Field.CONTENT_TYPE);
        }
        if (authorization != expected.authorization) {
            fields.add(Field.AUTHORIZATION);
        }
        if (cookie != expected.cookie) {
            fields.add(Field.COOKIE);
        }
        return fields;
    }

    /** The field as the table shows it. */
    String value(Field field) {
        return switch (field) {
            case REQUEST -> method;
            case BODY -> body.isEmpty() ? "(none)" : body;
            case CONTENT_TYPE -> contentType == null ? "(none)" : contentType;
            case AUTHORIZATION -> authorization ? "yes" : "no";
            case COOKIE -> cookie ? "yes" : "no";
            case APP_GOT -> throw new IllegalArgumentException("not a request field: " + field);
        };
    }
}
