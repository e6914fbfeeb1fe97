package dev.agentry.local;

import dev.agentry.local.LocalSettings.Service;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where each service of this platform is: the banner prints only when all are up, and the API's {@code /ready} says
 * which ones are not ({@link ReadinessGate}).
 */
final class ServiceStates {

    enum State {
        NOT_STARTED,
        STARTING,
        UP,
        STOPPING,
        STOPPED;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final Map<Service, State> states = new EnumMap<>(Service.class);

    ServiceStates(Set<Service> chosen) {
        chosen.forEach(service -> states.put(service, State.NOT_STARTED));
    }

    synchronized void set(Service service, State state) {
        states.put(service, state);
    }

    synchronized Map<Service, State> snapshot() {
        return new EnumMap<>(states);
    }

    static String name(Service service) {
        return service.name().toLowerCase(Locale.ROOT);
    }
}
