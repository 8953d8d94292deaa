package dev.countersign.notifications.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlackTextTest {

    @Test
    void escapesSlacksControlCharacters() {
        assertThat(SlackText.escape("<!channel> & <https://evil|x>")).isEqualTo("&lt;!channel&gt; &amp; &lt;https://evil|x&gt;");
        assertThat(SlackText.escape(null)).isEmpty();
    }

    @Test
    void truncatesByCodePointWithoutSplittingSurrogatePairs() {
        String text = "ab😀cd";
        assertThat(SlackText.truncate(text, 5)).isEqualTo(text);
        assertThat(SlackText.truncate(text, 4)).isEqualTo("ab😀…");
        assertThat(SlackText.isTruncated(text, 4)).isTrue();
    }
}
