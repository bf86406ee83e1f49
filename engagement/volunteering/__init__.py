"""Volunteers' safety (issue 6): the gate, and the services, selectors, forms and pages
for tasks, risk assessments, induction and training, activities, toolkits and incidents.

The models are in engagement.models.volunteering.
"""
