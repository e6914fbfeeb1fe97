package dev.agentry.manifests;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes objects read into fabric8's typed model (the Kubernetes API's schemas as Java classes), failing on any
 * field the schema does not have. fabric8 keeps unknown fields in {@code additionalProperties} instead of failing, so
 * every model object reached from the root is checked for an empty one: a misspelled {@code readinesProbe} fails.
 */
final class KubernetesObjects {

    /** Kinds the Kubernetes model does not cover (custom resources), read as generic objects. */
    private static final Set<String> CUSTOM_API_GROUPS = Set.of("keda.sh");

    private static final KubernetesSerialization serialization = new KubernetesSerialization();

    private KubernetesObjects() {}

    static List<HasMetadata> read(Path file) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> document : Repo.yamlDocuments(file)) {
            objects.add(read(document, file.toString()));
        }
        return objects;
    }

    static List<HasMetadata> readAll(String yaml, String origin) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(yaml)) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) document;
                objects.add(read(map, origin));
            }
        }
        return objects;
    }

    static HasMetadata read(Map<String, Object> document, String origin) {
        String json = serialization.asJson(document);
        HasMetadata object = serialization.unmarshal(json, HasMetadata.class);
        String where =
                origin + ": " + object.getKind() + "/" + object.getMetadata().getName();
        if (object instanceof GenericKubernetesResource) {
            String group = object.getApiVersion().contains("/")
                    ? object.getApiVersion().split("/")[0]
                    : "";
            if (!CUSTOM_API_GROUPS.contains(group)) {
                throw new AssertionError(
                        where + " is not a kind of the Kubernetes model (" + object.getApiVersion() + ")");
            }
            return object;
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(object, where, unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError("fields the Kubernetes schema does not have: " + unknown);
        }
        return object;
    }

    static <T extends HasMetadata> List<T> ofKind(Collection<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "." + key, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + " " + extra.keySet());
                }
            } else {
                collectUnknownFields(value, path + "." + property(getter), unknown);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getter.toString(), e);
        }
    }

    private static String property(Method getter) {
        String name = getter.getName().substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
