package dev.agentry.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class SendOutcomeTest {

    @Test
    void aRecordKafkaRefusesForGoodIsARefusalHoweverItIsWrapped() {
        Throwable wrapped =
                new CompletionException(new KafkaException("Send failed", new RecordTooLargeException("big")));

        assertThat(SendOutcome.ofFailure(wrapped))
                .isInstanceOfSatisfying(
                        SendOutcome.Refused.class,
                        r -> assertThat(r.cause()).isInstanceOf(RecordTooLargeException.class));
    }

    @Test
    void timeoutsMovingLeadersAndAuthorizationAreOutagesNotRefusals() {
        assertThat(SendOutcome.ofFailure(new TimeoutException("no broker")))
                .isInstanceOf(SendOutcome.Unreachable.class);
        assertThat(SendOutcome.ofFailure(new NotLeaderOrFollowerException("moving")))
                .isInstanceOf(SendOutcome.Unreachable.class);
        assertThat(SendOutcome.ofFailure(new TopicAuthorizationException("acl")))
                .isInstanceOf(SendOutcome.Unreachable.class);
    }
}
