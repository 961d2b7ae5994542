package org.lambdadist.core.attribution;

/**
 * Credited conversions and revenue, summed: the value monoid of attribution (zero is a new
 * total, {@link #add} is plus). The batch layer's mapper, combiner and reducer and the API's
 * regrouping all sum with it.
 */
public final class CreditTotal {
  private double conversions;
  private double revenue;

  public CreditTotal() {}

  public CreditTotal(double conversions, double revenue) {
    this.conversions = conversions;
    this.revenue = revenue;
  }

  public CreditTotal add(double moreConversions, double moreRevenue) {
    conversions += moreConversions;
    revenue += moreRevenue;
    return this;
  }

  public CreditTotal add(CreditTotal other) {
    return add(other.conversions, other.revenue);
  }

  /** Adds the share {@code weight} of one conversion worth {@code pathRevenue}. */
  public CreditTotal credit(double weight, double pathRevenue) {
    return add(weight, weight * pathRevenue);
  }

  public double conversions() {
    return conversions;
  }

  public double revenue() {
    return revenue;
  }

  @Override
  public String toString() {
    return "CreditTotal{" + conversions + ", " + revenue + "}";
  }
}
