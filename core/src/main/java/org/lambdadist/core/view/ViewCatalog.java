package org.lambdadist.core.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.lambdadist.core.attribution.AttributionConfig;
import org.lambdadist.core.attribution.AttributionSettings;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.event.EventFilter;

/**
 * The views of one {@code views.json}, validated. Loading is strict: an unknown key, a
 * missing field, a duplicate name, an unknown type or granularity each fail with a
 * {@link ViewDefinitionException} naming the view and the field, before any job starts.
 *
 * <p>The file format is in docs/events-and-views.md (section Views). Top-level keys besides
 * {@code views} are {@code attribution} (read by the attribution issue) and {@code description}.
 */
public final class ViewCatalog {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
  private static final Set<String> TOP_KEYS = Set.of("views", "attribution", "description");
  private static final Set<String> VIEW_KEYS =
      Set.of("name", "description", "filter", "dimensions", "granularities", "metrics");
  private static final Set<String> METRIC_KEYS = Set.of("name", "type", "field", "description");

  private final Map<String, ViewDefinition> views;
  private final AttributionConfig attribution;
  private final String json;

  private ViewCatalog(Map<String, ViewDefinition> views, AttributionConfig attribution, String json) {
    this.views = Collections.unmodifiableMap(views);
    this.attribution = attribution;
    this.json = json;
  }

  /** Parses and validates a views file; {@code source} names it in error messages. */
  public static ViewCatalog parse(String json, String source) throws ViewDefinitionException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ViewDefinitionException(source + ": not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ViewDefinitionException(source + ": expected a JSON object with a \"views\" array");
    }
    checkKeys(root, TOP_KEYS, source + ": top level");
    JsonNode array = root.get("views");
    if (array == null || !array.isArray() || array.isEmpty()) {
      throw new ViewDefinitionException(source + ": \"views\" must be a non-empty array");
    }
    Map<String, ViewDefinition> views = new LinkedHashMap<>();
    for (int i = 0; i < array.size(); i++) {
      ViewDefinition view = parseView(array.get(i), source, source + ": views[" + i + "]");
      if (views.putIfAbsent(view.name(), view) != null) {
        throw new ViewDefinitionException(source + ": view '" + view.name() + "': field 'name': duplicate view name");
      }
    }
    AttributionConfig attribution = root.has("attribution")
        ? parseAttribution(root.get("attribution"), source + ": attribution") : null;
    return new ViewCatalog(views, attribution, json);
  }

  private static final Set<String> ATTRIBUTION_KEYS = Set.of("user_field", "touch", "conversion", "lookback_days",
      "direct_channel", "time_decay_half_life_days", "position_based", "description");

  private static AttributionConfig parseAttribution(JsonNode node, String at) throws ViewDefinitionException {
    if (!node.isObject()) {
      throw new ViewDefinitionException(at + ": must be a JSON object");
    }
    checkKeys(node, ATTRIBUTION_KEYS, at);
    String user = text(node, "user_field", at, null);
    JsonNode touch = node.get("touch");
    JsonNode conversion = node.get("conversion");
    if (touch == null || !touch.isObject() || conversion == null || !conversion.isObject()) {
      throw new ViewDefinitionException(at + ": field 'touch' and field 'conversion' are required objects");
    }
    checkKeys(touch, Set.of("filter", "channel_field", "campaign_field"), at + ": field 'touch'");
    checkKeys(conversion, Set.of("filter", "revenue_field"), at + ": field 'conversion'");
    if (!touch.has("filter") || !conversion.has("filter")) {
      throw new ViewDefinitionException(at + ": field 'touch.filter' and field 'conversion.filter' are required");
    }
    EventFilter touchFilter = parseFilter(touch.get("filter"), at, "touch.filter");
    EventFilter conversionFilter = parseFilter(conversion.get("filter"), at, "conversion.filter");
    double first = 0.4;
    double last = 0.4;
    JsonNode position = node.get("position_based");
    if (position != null) {
      checkKeys(position, Set.of("first", "last"), at + ": field 'position_based'");
      first = number(position, "first", at, "position_based.first", 0.4);
      last = number(position, "last", at, "position_based.last", 0.4);
    }
    try {
      AttributionSettings settings = new AttributionSettings(
          number(node, "lookback_days", at, "lookback_days", 30),
          node.has("direct_channel") ? text(node, "direct_channel", at, "direct") : "direct",
          number(node, "time_decay_half_life_days", at, "time_decay_half_life_days", 7), first, last);
      return new AttributionConfig(user, touchFilter, text(touch, "channel_field", at, null),
          touch.has("campaign_field") ? text(touch, "campaign_field", at, null) : null,
          conversionFilter, conversion.has("revenue_field") ? text(conversion, "revenue_field", at, null) : null,
          settings);
    } catch (IllegalArgumentException e) {
      throw new ViewDefinitionException(at + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field, String at, String dflt) throws ViewDefinitionException {
    JsonNode v = node.get(field);
    if (v == null && dflt != null) {
      return dflt;
    }
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw fieldError(at, field, "required, a non-empty field name");
    }
    return v.asText();
  }

  private static double number(JsonNode node, String field, String at, String path, double dflt)
      throws ViewDefinitionException {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw fieldError(at, path, "must be a number");
    }
    return v.asDouble();
  }

  public static ViewCatalog parse(InputStream in, String source) throws ViewDefinitionException, IOException {
    return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
  }

  private static ViewDefinition parseView(JsonNode node, String source, String where) throws ViewDefinitionException {
    if (!node.isObject()) {
      throw new ViewDefinitionException(where + ": a view must be a JSON object");
    }
    JsonNode nameNode = node.get("name");
    if (nameNode == null || !nameNode.isTextual() || !NAME.matcher(nameNode.asText()).matches()) {
      throw new ViewDefinitionException(where + ": field 'name': required, letters, digits, '_', '.', '-' (at most 100)");
    }
    String name = nameNode.asText();
    String at = source + ": view '" + name + "'";
    checkKeys(node, VIEW_KEYS, at);

    EventFilter filter = node.has("filter") ? parseFilter(node.get("filter"), at, "filter") : EventFilter.ALL;

    List<String> dimensions = new ArrayList<>();
    JsonNode dims = node.get("dimensions");
    if (dims != null) {
      if (!dims.isArray()) {
        throw new ViewDefinitionException(at + ": field 'dimensions': must be an array of field names");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < dims.size(); i++) {
        JsonNode d = dims.get(i);
        if (!d.isTextual() || d.asText().isEmpty()) {
          throw new ViewDefinitionException(at + ": field 'dimensions[" + i + "]': must be a non-empty field name");
        }
        if (!seen.add(d.asText())) {
          throw new ViewDefinitionException(at + ": field 'dimensions[" + i + "]': duplicate dimension '" + d.asText() + "'");
        }
        dimensions.add(d.asText());
      }
      if (dimensions.size() > 32) {
        throw new ViewDefinitionException(at + ": field 'dimensions': at most 32 dimensions");
      }
    }

    JsonNode grans = node.get("granularities");
    if (grans == null || !grans.isArray() || grans.isEmpty()) {
      throw new ViewDefinitionException(at + ": field 'granularities': required, a non-empty array of minute, hour, day");
    }
    Set<Granularity> granularities = new LinkedHashSet<>();
    for (int i = 0; i < grans.size(); i++) {
      Granularity g = grans.get(i).isTextual() ? Granularity.fromLabel(grans.get(i).asText()) : null;
      if (g == null) {
        throw new ViewDefinitionException(at + ": field 'granularities[" + i + "]': unknown granularity "
            + grans.get(i) + " (expected minute, hour or day)");
      }
      if (!granularities.add(g)) {
        throw new ViewDefinitionException(at + ": field 'granularities[" + i + "]': duplicate granularity " + g.label());
      }
    }

    JsonNode metricsNode = node.get("metrics");
    if (metricsNode == null || !metricsNode.isArray() || metricsNode.isEmpty()) {
      throw new ViewDefinitionException(at + ": field 'metrics': required, a non-empty array");
    }
    List<MetricDefinition> metrics = new ArrayList<>();
    Set<String> metricNames = new HashSet<>();
    for (int i = 0; i < metricsNode.size(); i++) {
      MetricDefinition m = parseMetric(metricsNode.get(i), at, "metrics[" + i + "]");
      if (!metricNames.add(m.name())) {
        throw new ViewDefinitionException(at + ": field 'metrics[" + i + "].name': duplicate metric name '" + m.name() + "'");
      }
      metrics.add(m);
    }
    return new ViewDefinition(name, filter, dimensions, new ArrayList<>(granularities), metrics);
  }

  private static MetricDefinition parseMetric(JsonNode node, String at, String path) throws ViewDefinitionException {
    if (!node.isObject()) {
      throw new ViewDefinitionException(at + ": field '" + path + "': a metric must be a JSON object");
    }
    checkKeys(node, METRIC_KEYS, at + ": field '" + path + "'");
    JsonNode name = node.get("name");
    if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
      throw new ViewDefinitionException(at + ": field '" + path + ".name': required, letters, digits, '_', '.', '-'");
    }
    JsonNode typeNode = node.get("type");
    MetricType type = typeNode != null && typeNode.isTextual() ? MetricType.fromLabel(typeNode.asText()) : null;
    if (type == null) {
      throw new ViewDefinitionException(at + ": field '" + path + ".type': " + (typeNode == null ? "required" : "unknown metric type " + typeNode)
          + " (expected count, sum, min, max, avg or distinct)");
    }
    JsonNode field = node.get("field");
    if (field != null && (!field.isTextual() || field.asText().isEmpty())) {
      throw new ViewDefinitionException(at + ": field '" + path + ".field': must be a non-empty field name");
    }
    if (field == null && type.fieldRequired()) {
      throw new ViewDefinitionException(at + ": field '" + path + ".field': required for a " + type.label() + " metric");
    }
    return new MetricDefinition(name.asText(), type, field == null ? null : field.asText());
  }

  private static EventFilter parseFilter(JsonNode node, String at, String path) throws ViewDefinitionException {
    if (node.isArray()) {
      List<EventFilter> all = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        all.add(parseFilter(node.get(i), at, path + "[" + i + "]"));
      }
      return new EventFilter.All(all);
    }
    if (!node.isObject()) {
      throw fieldError(at, path, "a filter must be an object or an array of filters");
    }
    if (node.has("all") || node.has("any")) {
      String op = node.has("all") ? "all" : "any";
      checkKeys(node, Set.of(op), at + ": field '" + path + "'");
      JsonNode list = node.get(op);
      if (!list.isArray() || list.isEmpty()) {
        throw fieldError(at, path + "." + op, "must be a non-empty array of filters");
      }
      List<EventFilter> parts = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        parts.add(parseFilter(list.get(i), at, path + "." + op + "[" + i + "]"));
      }
      return op.equals("all") ? new EventFilter.All(parts) : new EventFilter.Any(parts);
    }
    if (node.has("not")) {
      checkKeys(node, Set.of("not"), at + ": field '" + path + "'");
      return new EventFilter.Not(parseFilter(node.get("not"), at, path + ".not"));
    }
    JsonNode field = node.get("field");
    if (field == null || !field.isTextual() || field.asText().isEmpty()) {
      throw fieldError(at, path + ".field", "required, the field the filter tests");
    }
    String f = field.asText();
    String where = at + ": field '" + path + "'";
    if (node.has("equals")) {
      checkKeys(node, Set.of("field", "equals"), where);
      return new EventFilter.Equals(f, scalar(node.get("equals"), at, path + ".equals"));
    }
    if (node.has("in")) {
      checkKeys(node, Set.of("field", "in"), where);
      JsonNode list = node.get("in");
      if (!list.isArray() || list.isEmpty()) {
        throw fieldError(at, path + ".in", "must be a non-empty array of values");
      }
      Set<String> values = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        values.add(scalar(list.get(i), at, path + ".in[" + i + "]"));
      }
      return new EventFilter.In(f, Set.copyOf(values));
    }
    if (node.has("exists")) {
      checkKeys(node, Set.of("field", "exists"), where);
      if (!node.get("exists").isBoolean()) {
        throw fieldError(at, path + ".exists", "must be true or false");
      }
      return new EventFilter.Exists(f, node.get("exists").asBoolean());
    }
    checkKeys(node, Set.of("field", "equals", "in", "exists"), where);
    throw fieldError(at, path, "needs one of equals, in, exists (or all, any, not)");
  }

  private static ViewDefinitionException fieldError(String at, String path, String message) {
    return new ViewDefinitionException(at + ": field '" + path + "': " + message);
  }

  private static String scalar(JsonNode v, String at, String path) throws ViewDefinitionException {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Long.toString(v.asLong());
    }
    if (v.isNumber()) {
      return FieldValues.canonical(v.decimalValue());
    }
    if (v.isBoolean()) {
      return Boolean.toString(v.asBoolean());
    }
    throw fieldError(at, path, "must be a string, number or boolean");
  }

  private static void checkKeys(JsonNode node, Set<String> allowed, String where) throws ViewDefinitionException {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        throw new ViewDefinitionException(where + ": field '" + key + "': unknown key (expected one of "
            + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  /** The attribution section, or null when the file has none. */
  public AttributionConfig attribution() {
    return attribution;
  }

  /** The views in file order. */
  public List<ViewDefinition> views() {
    return List.copyOf(views.values());
  }

  /** The view with this name, or null. */
  public ViewDefinition view(String name) {
    return views.get(name);
  }

  public Set<String> names() {
    return views.keySet();
  }

  /**
   * A fingerprint of the definitions: SHA-256 of the JSON with insignificant white space
   * removed, so the same definitions laid out differently have the same fingerprint and any
   * change of meaning a different one. The speed layer stores it beside its cells.
   */
  public String fingerprint() {
    try {
      String canonical = MAPPER.writeValueAsString(MAPPER.readTree(json));
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(canonical.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint views that parsed before", e);
    }
  }

  /** The JSON text this catalog was parsed from, for snapshots beside job outputs. */
  public String json() {
    return json;
  }
}
