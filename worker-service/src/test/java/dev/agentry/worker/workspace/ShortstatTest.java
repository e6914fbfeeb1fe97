package dev.agentry.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.task.ChangesSummary;
import org.junit.jupiter.api.Test;

class ShortstatTest {

    @Test
    void readsFilesInsertionsAndDeletions() {
        assertThat(WorkspaceChanges.parseShortstat(" 3 files changed, 45 insertions(+), 12 deletions(-)\n"))
                .isEqualTo(new ChangesSummary(3, 45, 12));
        assertThat(WorkspaceChanges.parseShortstat(" 1 file changed, 1 insertion(+)"))
                .isEqualTo(new ChangesSummary(1, 1, 0));
        assertThat(WorkspaceChanges.parseShortstat(" 1 file changed, 2 deletions(-)"))
                .isEqualTo(new ChangesSummary(1, 0, 2));
    }

    @Test
    void readsNoChangesAsNone() {
        assertThat(WorkspaceChanges.parseShortstat("")).isEqualTo(ChangesSummary.NONE);
    }
}
