package org.lambdadist.serving.http;

/** An API answer: the HTTP status and the JSON body. */
public record ApiResponse(int status, String json) {}
