package dev.agentry.worker.execution;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskCommand;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.queue.CommandHandler;
import org.springframework.stereotype.Component;

/** {@code task.run} on {@code agentry.task.commands}, run by the {@link TaskExecutor} in the queue's slots. */
@Component
class TaskCommands implements CommandHandler<Envelope<RunTask>> {

    private final WorkerProperties properties;
    private final MessageCodec codec;
    private final TaskExecutor executor;

    TaskCommands(WorkerProperties properties, MessageCodec codec, TaskExecutor executor) {
        this.properties = properties;
        this.codec = codec;
        this.executor = executor;
    }

    @Override
    public String topic() {
        return Topics.TASK_COMMANDS;
    }

    @Override
    public int partitions() {
        return properties.commandPartitions();
    }

    @Override
    public int slots() {
        return properties.concurrency();
    }

    @Override
    public Envelope<RunTask> decode(byte[] value) {
        Envelope<TaskCommand> envelope = codec.decodeTaskCommand(value);
        return switch (envelope.payload()) {
            case RunTask run -> TaskExecutor.command(envelope, run);
        };
    }

    @Override
    public Outcome run(Envelope<RunTask> command, Delivery delivery) {
        TaskRunResult result = executor.execute(command, delivery.attempt(), delivery.traceparent());
        return result == TaskRunResult.FINISHED ? Outcome.ACCEPT : Outcome.RELEASE;
    }

    @Override
    public void abandonAll() {
        executor.abandonAll();
    }
}
