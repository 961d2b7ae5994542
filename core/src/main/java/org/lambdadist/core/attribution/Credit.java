package org.lambdadist.core.attribution;

/** The share ({@code weight}, 0..1) of one conversion a channel and campaign earned. */
public record Credit(String channel, String campaign, double weight) {}
