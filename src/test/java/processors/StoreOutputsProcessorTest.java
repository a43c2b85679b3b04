package processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import clients.StorageLayout;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jobs.JobContext;
import jobs.JobDelivery;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The panel goes up public and uncompressed: a PNG does not compress, and gzipping 6 MB cost most of a job's CPU. */
class StoreOutputsProcessorTest {

    @Test
    void uploadsThePanelPublicWithoutGzip() {
        Storage storage = mock(Storage.class);
        StorageLayout layout = mock(StorageLayout.class);
        when(layout.bucket()).thenReturn("b");
        when(layout.panelObject("job-1")).thenReturn("outputs/job-1/panel.png");
        when(layout.storyObject("job-1")).thenReturn("outputs/job-1/story.txt");
        when(layout.publicUrl("outputs/job-1/panel.png")).thenReturn("http://x/b/outputs/job-1/panel.png");
        JobContext job = new JobContext(new JobDelivery("1-0", "job-1", List.of(), 1), Instant.now(),
                Duration.ofMinutes(1));
        byte[] panel = {(byte) 0x89, 'P', 'N', 'G'};
        job.panel(panel);
        job.story("A story.");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(JobHeaders.JOB, job);

        new StoreOutputsProcessor(storage, layout).process(exchange);

        ArgumentCaptor<Storage.BlobTargetOption> options = ArgumentCaptor.forClass(Storage.BlobTargetOption.class);
        verify(storage).create(eq(BlobInfo.newBuilder("b", "outputs/job-1/panel.png").setContentType("image/png")
                .build()), eq(panel), options.capture());
        assertThat(options.getAllValues()).contains(Storage.BlobTargetOption.disableGzipContent(),
                Storage.BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ));
        assertThat(job.imageUrl()).isEqualTo("http://x/b/outputs/job-1/panel.png");
    }
}
