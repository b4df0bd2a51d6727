package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.stream.Environment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsageEventPublisherIT {
  private Environment env;
  private String stream;

  @BeforeEach
  void setUp() {
    LocalBroker.require();
    env = LocalBroker.environment();
    stream = LocalBroker.uniqueStream("pub");
  }

  @AfterEach
  void tearDown() {
    if (env != null) {
      LocalBroker.deleteQuietly(env, stream);
      env.close();
    }
  }

  private UsageEventPublisher open(String name) {
    return UsageEventPublisher.builder(LocalBroker.settings(stream).build()).producerName(name).maxInFlight(500).open();
  }

  @Test
  void brokerDropsAnOverlappingRangeResentAfterARestart() throws Exception {
    int n = 5_000;
    try (UsageEventPublisher p = open("billing-gw")) {
      assertThat(p.lastPublishingId()).isZero();
      for (int i = 1; i <= n; i++) p.publish(i, LocalBroker.event(i).getBytes(StandardCharsets.UTF_8));
      p.flush(Duration.ofSeconds(30));
      assertThat(p.inFlight()).isZero();
    }
    try (UsageEventPublisher p = open("billing-gw")) {
      assertThat(p.lastPublishingId()).isEqualTo(n);
      // A crashed publisher that cannot tell what reached the broker resends the last 1,000 and goes on.
      for (int i = n - 999; i <= n + 1_000; i++) p.publish(i, LocalBroker.event(i).getBytes(StandardCharsets.UTF_8));
      p.flush(Duration.ofSeconds(30));
      assertThat(p.confirmedCount()).isEqualTo(2_000);
    }

    List<LocalBroker.Read> read = LocalBroker.readAll(env, stream, n + 1_000);
    assertThat(read).hasSize(n + 1_000);
    assertThat(read).extracting(LocalBroker.Read::body)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, n + 1_000).mapToObj(LocalBroker::event).toList());
    assertThat(read).extracting(LocalBroker.Read::contentType).containsOnly(UsageEventPublisher.CONTENT_TYPE);
  }

  @Test
  void restartedPublisherResumesAfterLastPublishingId() throws Exception {
    int total = 3_000;
    try (UsageEventPublisher p = open("seed")) {
      for (int i = 1; i <= 1_700; i++) assertThat(p.publish(LocalBroker.event(i))).isEqualTo(i);
    }
    try (UsageEventPublisher p = open("seed")) {
      long resumeAt = p.lastPublishingId() + 1;
      assertThat(resumeAt).isEqualTo(1_701);
      for (long i = resumeAt; i <= total; i++) p.publish(LocalBroker.event((int) i));
    }
    List<LocalBroker.Read> read = LocalBroker.readAll(env, stream, total);
    assertThat(read).extracting(LocalBroker.Read::body)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, total).mapToObj(LocalBroker::event).toList());
  }

  @Test
  void producersWithDifferentNamesAreNotDeduplicatedAgainstEachOther() throws Exception {
    try (UsageEventPublisher a = open("gw-a"); UsageEventPublisher b = open("gw-b")) {
      a.publish(1, LocalBroker.event(1).getBytes(StandardCharsets.UTF_8));
      b.publish(1, LocalBroker.event(2).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(LocalBroker.readAll(env, stream, 2)).hasSize(2);
  }

  @Test
  void idsMustIncreaseWithinOnePublisher() {
    try (UsageEventPublisher p = open("strict")) {
      p.publish(10, new byte[] {'{', '}'});
      assertThatThrownBy(() -> p.publish(10, new byte[] {'{', '}'})).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void unreachableBrokerFailsWithStreamUnreachable() {
    StreamSettings nowhere = StreamSettings.builder().uri("rabbitmq-stream://guest:guest@127.0.0.1:5553/%2f").stream(stream).build();
    assertThatThrownBy(() -> UsageEventPublisher.builder(nowhere).producerName("x").open())
        .isInstanceOf(StreamUnreachableException.class)
        .hasMessageContaining("127.0.0.1:5553")
        .hasMessageNotContaining("guest:guest")
        .satisfies(e -> assertThat(((StreamUnreachableException) e).errorCode()).isEqualTo("stream.unreachable"));
  }
}
