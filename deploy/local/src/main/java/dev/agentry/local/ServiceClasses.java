package dev.agentry.local;

/** The three services' application classes. */
final class ServiceClasses {

    static final Class<?> API = load("dev.agentry.api.ApiApplication");
    static final Class<?> WORKER = load("dev.agentry.worker.WorkerApplication");
    static final Class<?> SCHEDULER = load("dev.agentry.scheduler.SchedulerApplication");

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    name + " is not on the class path; rebuild with deploy/local/run --rebuild", e);
        }
    }

    private ServiceClasses() {}
}
