package dev.agentry.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelClientsTest {

    private final List<String> opened = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();
    private final ModelClients<String> clients = new ModelClients<>(
            2,
            (baseUrl, apiKey) -> {
                String client = baseUrl + "#" + opened.size();
                opened.add(client);
                return client;
            },
            closed::add);

    @Test
    void oneClientServesEveryCallToTheSameEndpointWithTheSameKey() {
        String first = clients.client("http://127.0.0.1:1/v1", "key-a");

        assertThat(clients.client("http://127.0.0.1:1/v1", "key-a")).isSameAs(first);
        assertThat(opened).hasSize(1);
    }

    @Test
    void anotherKeyOrEndpointGetsAClientOfItsOwn() {
        String a = clients.client("http://127.0.0.1:1/v1", "key-a");
        String b = clients.client("http://127.0.0.1:1/v1", "key-b");
        String c = clients.client("http://127.0.0.1:2/v1", "key-a");

        assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
    }

    @Test
    void pastItsCapacityTheLeastRecentlyUsedClientIsDroppedWithoutClosingIt() {
        String a = clients.client("http://127.0.0.1:1/v1", "key-a");
        clients.client("http://127.0.0.1:1/v1", "key-b");
        clients.client("http://127.0.0.1:1/v1", "key-a");
        clients.client("http://127.0.0.1:1/v1", "key-c");

        assertThat(clients.client("http://127.0.0.1:1/v1", "key-a")).isSameAs(a);
        assertThat(clients.client("http://127.0.0.1:1/v1", "key-b")).isNotEqualTo(opened.get(1));
        assertThat(closed).isEmpty();
    }

    @Test
    void closingAllClosesEachKeptClientOnce() {
        clients.client("http://127.0.0.1:1/v1", "key-a");
        clients.client("http://127.0.0.1:1/v1", "key-b");

        clients.closeAll();

        assertThat(closed).containsExactlyInAnyOrderElementsOf(opened);
    }
}
