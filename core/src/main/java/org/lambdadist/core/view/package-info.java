/**
 * View definitions from {@code conf/views.json}: which events a view takes (a filter), the
 * dimensions that key its rows, its granularities and its metrics. A bad definition fails at
 * load time with a message naming the view and the field.
 */
package org.lambdadist.core.view;
