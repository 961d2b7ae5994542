package org.lambdadist.core.attribution;

import java.util.Objects;
import org.lambdadist.core.event.EventFilter;

/**
 * The {@code attribution} section of {@code views.json}: whose events form journeys
 * ({@code user_field}), which events are touches (a filter, with the channel and campaign
 * fields) and which are conversions (a filter, with the revenue field), and the model settings.
 *
 * <pre>
 * "attribution": {
 *   "user_field": "user_id",
 *   "touch": {"filter": {"field": "type", "equals": "click"}, "channel_field": "channel", "campaign_field": "campaign"},
 *   "conversion": {"filter": {"field": "type", "equals": "conversion"}, "revenue_field": "revenue"},
 *   "lookback_days": 30, "direct_channel": "direct", "time_decay_half_life_days": 7,
 *   "position_based": {"first": 0.4, "last": 0.4}
 * }
 * </pre>
 * An event matching both filters is a conversion.
 */
public record AttributionConfig(String userField, EventFilter touchFilter, String channelField, String campaignField,
                                EventFilter conversionFilter, String revenueField, AttributionSettings settings) {
  public AttributionConfig {
    Objects.requireNonNull(userField, "user_field");
    Objects.requireNonNull(touchFilter, "touch.filter");
    Objects.requireNonNull(channelField, "touch.channel_field");
    Objects.requireNonNull(conversionFilter, "conversion.filter");
    Objects.requireNonNull(settings, "settings");
  }
}
